import { MongoClient } from "mongodb";
import { describe, expect, it } from "vitest";

import { startTestDatabase, uniqueName } from "./database";

describe("startTestDatabase", () => {
  it("starts an embedded server a driver can use, and stops it", async () => {
    const db = await startTestDatabase({ embedded: true });
    expect(db.external).toBe(false);
    const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 2_000 });
    try {
      const coll = client.db(uniqueName("kit")).collection("things");
      await coll.insertOne({ n: 1 });
      expect(await coll.countDocuments()).toBe(1);
    } finally {
      await client.close();
    }
    await db.stop();
    const after = new MongoClient(db.uri, { serverSelectionTimeoutMS: 300 });
    await expect(after.db("x").command({ ping: 1 })).rejects.toThrow();
    await after.close();
  });

  it("gives each caller a different database name", () => {
    expect(uniqueName("ctl")).toMatch(/^ctl_[0-9a-f]{8}$/);
    expect(uniqueName("ctl")).not.toBe(uniqueName("ctl"));
  });
});
