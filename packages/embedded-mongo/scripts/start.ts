// CLI: pnpm --filter @tenantry/embedded-mongo start -- --port 27017 --dbpath .data/db
import path from "node:path";
import { startEmbeddedMongo } from "../src/index.js";

function parseArgs(argv: string[]): { port: number; dbPath?: string } {
  let port = 27017;
  let dbPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg === "--") continue;
    if (arg === "--port" && next !== undefined) {
      port = Number(next);
      i++;
    } else if ((arg === "--dbpath" || arg === "--dbPath") && next !== undefined) {
      // pnpm runs the script inside the package; relative paths mean the caller's directory.
      dbPath = path.resolve(process.env.INIT_CWD ?? process.cwd(), next);
      i++;
    } else {
      console.error(`unknown argument: ${arg}\nusage: start [--port 27017] [--dbpath <dir>]`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid --port ${port}`);
    process.exit(2);
  }
  return { port, dbPath };
}

const opts = parseArgs(process.argv.slice(2));
const server = await startEmbeddedMongo(opts);
console.log(server.uri);
console.error(
  `embedded-mongo listening on 127.0.0.1:${server.port} (${opts.dbPath ? `dbPath ${opts.dbPath}` : "in-memory"})`,
);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.error(`embedded-mongo: ${signal}, stopping`);
  server.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
