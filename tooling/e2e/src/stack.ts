// What the end-to-end tests run against, all from scratch: a test database (a fresh embedded
// one, or TEST_MONGODB_URI, which must then be empty) and the *built* Next apps (`next start`)
// on free ports, never 3000/3001 where a developer's own servers may run. Used by both apps'
// e2e suites and by tests/security.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import {
  freePort,
  startMailCatcher,
  startProcessGroup,
  startTestDatabase,
  waitForHttp,
} from "@tenantry/test-kit";
import type { ProcessGroup } from "@tenantry/test-kit";

import { inheritedEnv, stackToEnv } from "./env";

const appsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../apps");

export type App = "web" | "admin";

export interface StackInfo {
  mongoUri: string;
  webUrl: string;
  adminUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** The mail catcher's web inbox and REST API (the apps send through its SMTP port). */
  mailUrl: string;
  /** The stack's ENCRYPTION_KEY (random per run), so a test can start another app on its databases. */
  encryptionKey: string;
  /** The SMTP URL the apps send through. */
  smtpUrl: string;
}

/**
 * A built app on 127.0.0.1:port as its start script serves it (`tenantry-next-serve`: `next start`
 * with client IPs from the socket), in its own process group, ready when /login answers.
 */
export async function startApp(
  app: App,
  port: number,
  env: Record<string, string>,
  logFile: string,
): Promise<ProcessGroup> {
  const cwd = path.join(appsDir, app);
  if (!existsSync(path.join(cwd, ".next", "BUILD_ID"))) {
    throw new Error(
      `apps/${app} is not built: run \`pnpm --filter @tenantry/${app} build\` first (turbo's test:e2e does)`,
    );
  }
  const serve = path.join(cwd, "node_modules", "@tenantry", "api", "bin", "next-serve.mjs");
  const server = startProcessGroup(
    process.execPath,
    [serve, "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd, env: { ...inheritedEnv(), ...env, PORT: String(port) }, logFile },
  );
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/login`, {
      timeoutMs: 90_000,
      intervalMs: 300,
      failed: () =>
        exitCode === undefined ? null : `apps/${app} exited with code ${exitCode} (see ${logFile})`,
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/**
 * Starts the database and the named apps; returns their addresses and credentials, the apps'
 * environment (secrets included, for tests that sign their own tokens) and a stop function.
 * `extraEnv` adds to or overrides the apps' environment (e.g. a short EXPORT_TTL_SECONDS).
 */
export async function startStack(
  apps: App[],
  logDir: string,
  extraEnv: Record<string, string> = {},
): Promise<{ info: StackInfo; env: Record<string, string>; stop: () => Promise<void> }> {
  mkdirSync(logDir, { recursive: true });
  const mongo = await startTestDatabase();
  const mail = await startMailCatcher({ logFile: path.join(logDir, "maildev.log") }).catch(
    async (err: unknown) => {
      await mongo.stop();
      throw err;
    },
  );
  const servers: ProcessGroup[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await mail.stop();
    await mongo.stop();
  };
  try {
    const [webPort, adminPort] = [await freePort(), await freePort()];
    const info: StackInfo = {
      mongoUri: mongo.uri,
      adminEmail: "root@e2e.tenantry.test",
      adminPassword: `Adm1n-${randomBytes(9).toString("base64url")}`,
      // The admin-only stack has no web app, but the admin app still hands impersonation to one.
      webUrl: `http://127.0.0.1:${webPort}`,
      adminUrl: `http://127.0.0.1:${adminPort}`,
      mailUrl: mail.webUrl,
      encryptionKey: randomBytes(32).toString("base64"),
      smtpUrl: mail.smtpUrl,
    };
    const env = {
      NODE_ENV: "production",
      MONGODB_URI: mongo.uri,
      JWT_SECRET: randomBytes(48).toString("base64"),
      ENCRYPTION_KEY: info.encryptionKey,
      ADMIN_EMAIL: info.adminEmail,
      ADMIN_PASSWORD: info.adminPassword,
      // Every test signs the one admin in (fixtures.ts); a TOTP code works once per 30 s step, so
      // the requirement is off here. The admin's own two-factor sign-in is tested in the api suite.
      ADMIN_TWO_FACTOR: "optional",
      WEB_URL: info.webUrl,
      ADMIN_URL: info.adminUrl,
      INSECURE_COOKIES: "true",
      SMTP_URL: mail.smtpUrl,
      // Usage counts reach the control database (and the usage pages) within a second.
      USAGE_FLUSH_SECONDS: "1",
      // Webhook receivers in tests listen on 127.0.0.1 over http; retries wait a second.
      WEBHOOKS_ALLOW_PRIVATE_URLS: "true",
      WEBHOOKS_RETRY_BASE_MS: "1000",
      ...extraEnv,
    };
    const ports: Record<App, number> = { web: webPort, admin: adminPort };
    const started = await Promise.allSettled(
      apps.map((app) => startApp(app, ports[app], env, path.join(logDir, `${app}-server.log`))),
    );
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    return { info, env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A Playwright global setup for `apps`: the stack's info reaches the workers as E2E_STACK. */
export function stackSetup(apps: App[]) {
  return async function globalSetup() {
    const { info, stop } = await startStack(apps, path.resolve("test-results"));
    stackToEnv(info);
    return stop; // Playwright runs the returned function as global teardown
  };
}

/**
 * A second built admin app on the stack's databases with the production default
 * ADMIN_TWO_FACTOR=required, which the shared stack turns off (its one admin signs in many times
 * a minute). Its own JWT secret: only sessions it issued work there. Stopped by PID group.
 */
export async function startAdminRequiringTwoFactor(
  stack: StackInfo,
  logFile: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startApp(
    "admin",
    port,
    {
      NODE_ENV: "production",
      MONGODB_URI: stack.mongoUri,
      JWT_SECRET: randomBytes(48).toString("base64"),
      ENCRYPTION_KEY: stack.encryptionKey,
      // Required by the app's config; the admin exists already, so nothing is created.
      ADMIN_EMAIL: stack.adminEmail,
      ADMIN_PASSWORD: stack.adminPassword,
      ADMIN_TWO_FACTOR: "required",
      ADMIN_URL: url,
      WEB_URL: stack.webUrl,
      INSECURE_COOKIES: "true",
      SMTP_URL: stack.smtpUrl,
      // Like the shared stack's processes (this one's webhook worker claims deliveries too).
      WEBHOOKS_ALLOW_PRIVATE_URLS: "true",
      WEBHOOKS_RETRY_BASE_MS: "1000",
      JOBS_ENABLED: "false",
    },
    logFile,
  );
  return { url, stop: () => server.stop() };
}
