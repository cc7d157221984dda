// Starts what the end-to-end tests run against, all from scratch: a fresh in-memory embedded
// MongoDB on an ephemeral port and the *built* Next apps (`next start`) on free ports, never
// 3000/3001 where a developer's own servers may run. Shared by apps/web and apps/admin e2e.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedMongo } from "@tenantry/embedded-mongo";

const appsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface StackInfo {
  mongoUri: string;
  /** Where the web app runs, or (admin-only stacks) where the admin app hands impersonation to. */
  webUrl?: string;
  adminUrl?: string;
  adminEmail: string;
  adminPassword: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function waitForHttp(
  url: string,
  child: ChildProcess,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${url}: server exited with code ${child.exitCode} (see test-results/*.log)`);
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * A built app on 127.0.0.1:port as its start script serves it (`tenantry-next-serve`: `next start`
 * with client IPs from the socket), its output in `logFile`, in its own process group.
 */
export function startApp(
  app: "web" | "admin",
  port: number,
  env: Record<string, string>,
  logFile: string,
): ChildProcess {
  const cwd = path.join(appsDir, app);
  if (!existsSync(path.join(cwd, ".next", "BUILD_ID"))) {
    throw new Error(
      `apps/${app} is not built: run \`pnpm --filter @tenantry/${app} build\` first (turbo's test:e2e does)`,
    );
  }
  const serve = path.join(cwd, "node_modules", "@tenantry", "api", "bin", "next-serve.mjs");
  const child = spawn(
    process.execPath,
    [serve, "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group: teardown stops the whole tree by PID
    },
  );
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* gone */
      }
      resolve();
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * Starts mongo and the named apps; returns the info (also exported as E2E_* env), the apps'
 * environment (secrets included, for tests that sign their own tokens) and a stop function.
 * `extraEnv` adds to or overrides the apps' environment (e.g. a short EXPORT_TTL_SECONDS).
 */
export async function startStack(
  apps: ("web" | "admin")[],
  logDir: string,
  extraEnv: Record<string, string> = {},
): Promise<{ info: StackInfo; env: Record<string, string>; stop: () => Promise<void> }> {
  mkdirSync(logDir, { recursive: true });
  // TEST_MONGODB_URI runs the suite against an existing server (e.g. a real replica set); it must
  // be empty, since the tests assume a fresh database. Otherwise a fresh in-memory one is started.
  const external = process.env.TEST_MONGODB_URI;
  const mongo = external
    ? { uri: external, stop: async () => undefined }
    : await startEmbeddedMongo({ port: 0 });
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await mongo.stop();
  };
  try {
    const webPort = await freePort();
    const adminPort = await freePort();
    const info: StackInfo = {
      mongoUri: mongo.uri,
      adminEmail: "root@e2e.tenantry.test",
      adminPassword: `Adm1n-${randomBytes(9).toString("base64url")}`,
      webUrl: `http://127.0.0.1:${webPort}`,
      adminUrl: `http://127.0.0.1:${adminPort}`,
    };
    const env = {
      NODE_ENV: "production",
      MONGODB_URI: mongo.uri,
      JWT_SECRET: randomBytes(48).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ADMIN_EMAIL: info.adminEmail,
      ADMIN_PASSWORD: info.adminPassword,
      WEB_URL: info.webUrl ?? "",
      ADMIN_URL: info.adminUrl ?? "",
      INSECURE_COOKIES: "true",
      ...extraEnv,
    };
    if (apps.includes("web"))
      children.push(startApp("web", webPort, env, path.join(logDir, "web-server.log")));
    if (apps.includes("admin"))
      children.push(startApp("admin", adminPort, env, path.join(logDir, "admin-server.log")));
    await Promise.all([
      ...(apps.includes("web")
        ? [waitForHttp(`${info.webUrl}/login`, children[0] as ChildProcess)]
        : []),
      ...(apps.includes("admin")
        ? [
            waitForHttp(
              `${info.adminUrl}/login`,
              children[apps.includes("web") ? 1 : 0] as ChildProcess,
            ),
          ]
        : []),
    ]);
    return { info, env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
