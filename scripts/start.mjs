// `npm start`: install what is missing, build, start the embedded database, seed demo data on
// first run, start the API and both apps, print URLs and logins. Ctrl-C stops everything.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { ensureDependencies, ensurePnpm, fail, log, root, run } from "./bootstrap.mjs";

ensurePnpm();
ensureDependencies();

const dataDir = path.join(root, ".data");
mkdirSync(dataDir, { recursive: true });

// Development secrets and demo logins: generated once, kept in .data/ (git-ignored), never in
// the repo. There are no default credentials: each machine gets its own.
const secretsFile = path.join(dataDir, "dev-secrets.json");
if (!existsSync(secretsFile)) {
  const pw = () => `${randomBytes(9).toString("base64url")}-Aa1`;
  writeFileSync(
    secretsFile,
    JSON.stringify(
      {
        JWT_SECRET: randomBytes(48).toString("base64"),
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        ADMIN_EMAIL: "admin@tenantry.local",
        ADMIN_PASSWORD: pw(),
        DEMO_PASSWORD: pw(),
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );
}
const secrets = JSON.parse(readFileSync(secretsFile, "utf8"));
// /metrics answers only its Bearer token; added to secrets files written before it existed.
if (!secrets.METRICS_TOKEN) {
  secrets.METRICS_TOKEN = randomBytes(32).toString("base64url");
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}

const ports = {
  mongo: Number(process.env.EMBEDDED_MONGO_PORT ?? 27017),
  web: Number(process.env.WEB_PORT ?? 3000),
  admin: Number(process.env.ADMIN_PORT ?? 3001),
  api: Number(process.env.API_PORT ?? 4000),
  // The local mail catcher (maildev): SMTP in, web inbox out.
  mailSmtp: Number(process.env.MAIL_SMTP_PORT ?? 1025),
  mailWeb: Number(process.env.MAIL_WEB_PORT ?? 1080),
};
const exists = (rel) => existsSync(path.join(root, rel));
const apps = [
  { name: "web", dir: "apps/web", port: ports.web },
  { name: "admin", dir: "apps/admin", port: ports.admin },
].filter((a) => exists(`${a.dir}/package.json`));

if (apps.length > 0) {
  log("building (turbo skips what is already built)");
  run("pnpm", [
    "exec",
    "turbo",
    "run",
    "build",
    "--env-mode=loose",
    "--output-logs=errors-only",
    ...apps.map((a) => `--filter=./${a.dir}`),
  ]);
}

const children = [];
let stopping = false;
// Children run their package's own binaries directly (not through `pnpm run`), so Ctrl-C ends
// them quietly instead of pnpm reporting a "failed" run for every signal.
const bin = (pkgDir, name) =>
  path.isAbsolute(name) ? name : path.join(root, pkgDir, "node_modules", ".bin", name);
function startChild(name, pkgDir, cmd, args, env = {}) {
  const child = spawn(bin(pkgDir, cmd), args, {
    cwd: path.join(root, pkgDir),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so Ctrl-C handling can stop the whole tree
  });
  const prefix = `[${name}] `;
  const forward = (stream, out) => {
    let buf = "";
    stream.on("data", (chunk) => {
      buf += chunk;
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const line of lines) out.write(prefix + line + "\n");
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${code ?? signal}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  // Apps first, database last, so nothing loses its database while still serving.
  for (const { child } of [...children].reverse()) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    await new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
        resolve();
      }, 8000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

function waitForPort(port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listening on port ${port}`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

let mongoUri = process.env.MONGODB_URI;
if (!mongoUri) {
  const mongo = startChild("mongo", "packages/embedded-mongo", "tsx", [
    "scripts/start.ts",
    "--port",
    String(ports.mongo),
    "--dbpath",
    path.join(dataDir, "db"),
  ]);
  mongoUri = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("embedded-mongo did not print its URI")),
      60_000,
    );
    mongo.stdout.on("data", (chunk) => {
      const match = /mongodb:\/\/\S+/.exec(String(chunk));
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
  }).catch((err) => {
    fail(err.message);
  });
}

// Password-reset mail goes to a local catcher unless SMTP_URL names a real server.
let smtpUrl = process.env.SMTP_URL;
if (!smtpUrl) {
  startChild("mail", ".", "maildev", [
    "--ip",
    "127.0.0.1",
    "--smtp",
    String(ports.mailSmtp),
    "--web",
    String(ports.mailWeb),
  ]);
  await waitForPort(ports.mailSmtp).catch((err) => {
    log(`mail catcher: ${err.message}`);
    return shutdown(1);
  });
  smtpUrl = `smtp://127.0.0.1:${ports.mailSmtp}`;
}

const env = {
  NODE_ENV: "production",
  SMTP_URL: smtpUrl,
  MONGODB_URI: mongoUri,
  JWT_SECRET: secrets.JWT_SECRET,
  ENCRYPTION_KEY: secrets.ENCRYPTION_KEY,
  ADMIN_EMAIL: secrets.ADMIN_EMAIL,
  ADMIN_PASSWORD: secrets.ADMIN_PASSWORD,
  DEMO_PASSWORD: secrets.DEMO_PASSWORD,
  METRICS_TOKEN: secrets.METRICS_TOKEN,
  WEB_URL: `http://localhost:${ports.web}`,
  ADMIN_URL: `http://localhost:${ports.admin}`,
  API_PORT: String(ports.api),
  // Local http: cookies cannot be Secure without TLS.
  INSECURE_COOKIES: "true",
  // A local stack: webhook endpoints may be http://localhost receivers (production requires https
  // and public addresses). An explicit WEBHOOKS_ALLOW_PRIVATE_URLS=false keeps the strict policy.
  WEBHOOKS_ALLOW_PRIVATE_URLS: process.env.WEBHOOKS_ALLOW_PRIVATE_URLS ?? "true",
  // The processes write into pipes (prefixed here), so they would pick JSON: readable lines when
  // this terminal is a person's; LOG_FORMAT=json (or output into a file or pipe) keeps JSON.
  LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json"),
};

let demoLogins = null;
if (exists("apps/admin/scripts/seed-demo.ts")) {
  log("seeding demo data (first run only)");
  const seeded = await new Promise((resolve) => {
    const c = spawn(
      "pnpm",
      // --silent: stdout carries only the demo logins, printed in the banner.
      ["--silent", "--filter", "@tenantry/admin", "run", "seed-demo"],
      {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    c.stdout.on("data", (d) => (out += d));
    c.on("exit", (code) => resolve(code === 0 ? out : null));
  });
  if (seeded === null) {
    await shutdown(1);
  }
  demoLogins = seeded;
}

if (exists("packages/api/src/server/main.ts")) {
  // The compiled server (built with the apps above: they depend on @tenantry/api), started as its
  // serve script starts it: tracing registered first (a no-op unless OTEL_* is set).
  const serve = ["--import", "./dist/register-tracing.mjs", "dist/main.mjs"];
  startChild("api", "packages/api", process.execPath, serve, {
    ...env,
    PORT: String(ports.api),
  });
}
for (const app of apps) {
  startChild(
    app.name,
    app.dir,
    "tenantry-next-serve", // `next start`, with client IPs from the socket (see packages/api/bin)
    ["--hostname", "127.0.0.1", "--port", String(app.port)],
    {
      ...env,
      PORT: String(app.port),
    },
  );
}

await Promise.all([
  ...apps.map((a) => waitForPort(a.port)),
  ...(exists("packages/api/src/server/main.ts") ? [waitForPort(ports.api)] : []),
]).catch((err) => {
  log(err.message);
  return shutdown(1);
});

console.log("\n  Tenantry is running\n");
console.log(
  `  database   ${mongoUri}${process.env.MONGODB_URI ? "" : " (embedded, data in .data/db)"}`,
);
for (const app of apps) console.log(`  ${app.name.padEnd(10)} http://localhost:${app.port}`);
if (exists("packages/api/src/server/main.ts")) {
  console.log(
    `  api        http://localhost:${ports.api}/trpc  (health: /healthz; /metrics with Bearer METRICS_TOKEN)`,
  );
}
console.log(
  process.env.SMTP_URL
    ? `  mail       ${process.env.SMTP_URL.replace(/\/\/[^@/]*@/, "//")}`
    : `  mail inbox http://localhost:${ports.mailWeb}  (password-reset and invitation emails land here)`,
);
console.log(`\n  super admin  ${secrets.ADMIN_EMAIL} / ${secrets.ADMIN_PASSWORD}`);
if (demoLogins) console.log(demoLogins.trimEnd().replace(/^/gm, "  "));
console.log(`\n  (logins are generated per machine and kept in .data/dev-secrets.json)`);
console.log("  Ctrl-C stops everything.\n");
