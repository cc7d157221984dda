// Scenario 1's yardstick: a bare node:http handler running the same driver query as notes.list
// (newest 21 notes, lean) on the same tenant database, with one shared MongoClient. No auth, no
// tRPC, no tenancy: the floor Tenantry's overhead is measured against.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { applyHeapGrowthPolicy, DEFAULT_HEAP_GROWTH_PERCENT } from "@tenantry/api/heap-policy";

import { MongoClient } from "mongodb";

const uri = process.env.BENCH_MONGO_URI;
if (!uri) throw new Error("BENCH_MONGO_URI is required");
// The Tenantry API's default heap policy (API_HEAP_GROWTH_PERCENT), so RSS compares like with like.
// The subpath loads that one function, not the API, so this process's RSS stays the recipe's own.
applyHeapGrowthPolicy(Number(process.env.BENCH_HEAP_GROWTH_PERCENT ?? DEFAULT_HEAP_GROWTH_PERCENT));
const client = await new MongoClient(uri, {
  maxPoolSize: Number(process.env.BENCH_MAX_POOL_SIZE ?? 32),
}).connect();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://bench");
  const dbName = url.searchParams.get("db");
  if (url.pathname !== "/notes" || !dbName) {
    res.writeHead(404).end();
    return;
  }
  client
    .db(dbName)
    .collection("notes")
    .find({})
    .sort({ _id: -1 })
    .limit(21)
    .toArray()
    .then((rows) => {
      const items = rows.slice(0, 20);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ items, nextCursor: rows.length > 20 ? String(items.at(-1)?._id) : null }),
      );
    })
    .catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(
    `READY ${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
});
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  void client.close().finally(() => process.exit(0));
});
