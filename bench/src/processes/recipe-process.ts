// Scenario 2's baseline: the common blog recipe for database-per-tenant with mongoose — one
// `mongoose.createConnection` per tenant, cached in a Map for the life of the process. Same query
// as notes.list. BENCH_RECIPE_MODE picks the driver settings:
// - "defaults": the recipe as written (a monitor and an RTT pinger per client when the server
//   streams, one pooled socket kept open per tenant);
// - "lean": the cheapest the recipe can be made without changing its shape, so that 10,000 tenants
//   fit this machine's 20,000-fd hard limit (shared by this process's sockets and the database's):
//   monitoring by polling (one socket per client) and pooled sockets closed after 1 s idle. Both
//   make the baseline cheaper than as written, so a ratio against it is conservative.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { applyHeapGrowthPolicy, DEFAULT_HEAP_GROWTH_PERCENT } from "@tenantry/api/heap-policy";

import type { Connection, Model } from "mongoose";
import mongoose, { Schema } from "mongoose";

const uri = process.env.BENCH_MONGO_URI;
if (!uri) throw new Error("BENCH_MONGO_URI is required");
// The Tenantry API's default heap policy (API_HEAP_GROWTH_PERCENT), so RSS compares like with like.
// The subpath loads that one function, not the API, so this process's RSS stays the recipe's own.
applyHeapGrowthPolicy(Number(process.env.BENCH_HEAP_GROWTH_PERCENT ?? DEFAULT_HEAP_GROWTH_PERCENT));

const noteSchema = new Schema(
  {
    title: String,
    body: String,
    tags: [String],
    authorId: Schema.Types.ObjectId,
    authorName: String,
  },
  { collection: "notes", timestamps: true },
);

type NoteModel = Model<{ title?: string | null; body?: string | null }>;
const lean = process.env.BENCH_RECIPE_MODE === "lean";
const driverOptions = lean ? { serverMonitoringMode: "poll" as const, maxIdleTimeMS: 1000 } : {};
const connections = new Map<string, { conn: Connection; Note: NoteModel }>();

function tenantConnection(dbName: string): { conn: Connection; Note: NoteModel } {
  const cached = connections.get(dbName);
  if (cached) return cached;
  const conn = mongoose.createConnection(uri ?? "", { dbName, ...driverOptions });
  const entry = { conn, Note: conn.model("Note", noteSchema) as unknown as NoteModel };
  connections.set(dbName, entry);
  return entry;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://bench");
  const dbName = url.searchParams.get("db");
  if (url.pathname === "/count") {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ connections: connections.size }));
    return;
  }
  if (url.pathname !== "/notes" || !dbName) {
    res.writeHead(404).end();
    return;
  }
  tenantConnection(dbName)
    .Note.find({})
    .sort({ _id: -1 })
    .limit(21)
    .lean()
    .then((rows) => {
      const items = rows.slice(0, 20);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ items, nextCursor: rows.length > 20 ? "more" : null }));
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
  process.exit(0);
});
