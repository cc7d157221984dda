import { MongoClient } from "mongodb";
import { describe, expect, it } from "vitest";
import { startEmbeddedMongo } from "./index.js";

// The sweep interval is an embedded-server option (MongoDB's TTL monitor runs every 60 s),
// so this runs against the embedded server only.
describe.skipIf(Boolean(process.env.TEST_MONGODB_URI))("TTL indexes", () => {
  it("deletes documents once their indexed date is older than expireAfterSeconds", async () => {
    const server = await startEmbeddedMongo({ ttlMonitorIntervalMs: 100 });
    const client = await new MongoClient(server.uri).connect();
    try {
      const sessions = client.db("ttl").collection("sessions");
      await sessions.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 60 });
      const now = Date.now();
      await sessions.insertMany([
        { name: "stale", lastSeen: new Date(now - 120_000) },
        { name: "fresh", lastSeen: new Date(now) },
        { name: "not-a-date", lastSeen: "yesterday" },
        { name: "no-field" },
      ]);
      const deadline = Date.now() + 5000;
      while ((await sessions.countDocuments({ name: "stale" })) > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const left = (await sessions.find().toArray()).map((d) => d.name as string).sort();
      expect(left).toEqual(["fresh", "no-field", "not-a-date"]);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
