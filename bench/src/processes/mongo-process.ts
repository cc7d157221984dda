// The database under every scenario: the embedded MongoDB-compatible server, in memory, alone in
// its own process so it does not share an event loop with the API or the load generator.
import { startEmbeddedMongo } from "@tenantry/embedded-mongo";

const server = await startEmbeddedMongo({
  port: 0,
  ...(process.env.BENCH_DB_PATH ? { dbPath: process.env.BENCH_DB_PATH } : {}),
});
process.stdout.write(`READY ${JSON.stringify({ uri: server.uri, port: server.port })}\n`);
process.once("SIGTERM", () => {
  void server.stop().finally(() => process.exit(0));
});
