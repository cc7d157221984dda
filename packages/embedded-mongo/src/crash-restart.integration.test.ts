import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { afterEach, describe, expect, it } from "vitest";
import { startChild } from "../test/child-server.js";
import { startEmbeddedMongo } from "./index.js";

// The dbPath lock after a crash: a server killed with -9 must never keep the next one from
// starting, whether its pid is a zombie not yet reaped or has been given to another process.

const external = Boolean(process.env.TEST_MONGODB_URI);
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-mongo-lock-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function startTimeOf(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] as string;
}

describe.skipIf(external)("restart after kill -9", () => {
  it("restarts immediately after kill -9, 20 times, with every acknowledged write kept", async () => {
    const dbPath = tempDir();
    const acknowledged: number[] = [];
    let next = 0;
    for (let round = 0; round < 20; round++) {
      // Started while the previous server may still be an unreaped zombie holding the lock file.
      const { child, uri } = await startChild(dbPath);
      const client = await new MongoClient(uri, {
        retryWrites: false,
        serverSelectionTimeoutMS: 5000,
      }).connect();
      const coll = client.db("crash").collection("events");
      expect(await coll.countDocuments({ n: { $in: acknowledged } })).toBe(acknowledged.length);
      let killed = false;
      const writers = Array.from({ length: 4 }, async () => {
        while (!killed) {
          const n = next++;
          try {
            await coll.insertOne({ n });
          } catch {
            return;
          }
          acknowledged.push(n);
        }
      });
      while (acknowledged.length < (round + 1) * 20) await new Promise((r) => setTimeout(r, 2));
      child.kill("SIGKILL");
      killed = true;
      await Promise.all(writers);
      await client.close(true).catch(() => undefined);
    }
    const { child, uri } = await startChild(dbPath);
    const client = await new MongoClient(uri).connect();
    try {
      const stored = await client
        .db("crash")
        .collection("events")
        .countDocuments({ n: { $in: acknowledged } });
      expect(stored).toBe(acknowledged.length);
    } finally {
      await client.close();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }, 180_000);

  it("treats a zombie owner as dead", async () => {
    const dbPath = tempDir();
    // `sleep 0` exits at once, and its parent (exec'd into `sleep 3`) never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 3"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const pid = Number(
      await new Promise<string>((resolve) =>
        parent.stdout.once("data", (d: Buffer) => resolve(d.toString())),
      ),
    );
    let state = "";
    for (let i = 0; i < 100 && state !== "Z"; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] as string;
    }
    expect(state).toBe("Z");
    fs.writeFileSync(
      path.join(dbPath, "mongod.lock"),
      JSON.stringify({ pid, start: startTimeOf(pid) }),
    );
    const server = await startEmbeddedMongo({ dbPath });
    await server.stop();
    parent.kill("SIGKILL");
  });

  it("treats a reused pid (another start time) as dead, and a live owner as the owner", async () => {
    const dbPath = tempDir();
    const lock = path.join(dbPath, "mongod.lock");
    // This test runner's own pid, as if the OS had reused a crashed server's pid for it.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, start: "1" }));
    const server = await startEmbeddedMongo({ dbPath });
    await server.stop();
    const { child } = await startChild(dbPath);
    try {
      await expect(startEmbeddedMongo({ dbPath })).rejects.toThrow(/in use by process/);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  });
});
