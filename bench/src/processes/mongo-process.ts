// The database under every scenario: the embedded MongoDB-compatible server, in memory, alone in
// its own process so it does not share an event loop with the API or the load generator.
import { startEmbeddedMongo } from "@tenantry/embedded-mongo";

const server = await startEmbeddedMongo({
  port: 0,
  // The recipe at 10,000 tenants keeps a monitoring socket per tenant plus pooled ones, over the
  // server's default cap of 10,000 connections (its refusal crashed the recipe mid-run). Still
  // under this machine's 20,000-fd hard limit per process.
  maxConnections: 19_000,
  ...(process.env.BENCH_DB_PATH ? { dbPath: process.env.BENCH_DB_PATH } : {}),
});
process.stdout.write(`READY ${JSON.stringify({ uri: server.uri, port: server.port })}\n`);
process.once("SIGTERM", () => {
  void server.stop().finally(() => process.exit(0));
});
