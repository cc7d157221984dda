// pnpm --filter @tenantry/embedded-mongo bench — ops/s through the real driver, server in its own
// process (as in production use). Not a test: it prints figures and asserts nothing.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MongoClient, ObjectId, type Collection, type Document } from "mongodb";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

async function startServer(dbPath?: string): Promise<{ uri: string; child: ChildProcess }> {
  const args = [
    "--import",
    "tsx",
    "scripts/start.ts",
    "--port",
    "0",
    ...(dbPath ? ["--dbpath", dbPath] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const m = /mongodb:\/\/\S+/.exec(chunk.toString());
      if (m) resolve(m[0]);
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
  return { uri, child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/** CPU time (user + system) the server process has used, in microseconds, from /proc. */
function serverCpuMicros(): number {
  if (!serverPid) return 0;
  try {
    const fields =
      fs.readFileSync(`/proc/${serverPid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1_000_000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}
let serverPid: number | undefined;

interface Measured {
  opsPerSec: number;
  /** Server CPU per operation: what the rate would be bounded by on an idle core. */
  serverCpuMicrosPerOp: number;
}

/** Runs `op` in `clients` concurrent loops for SECONDS. */
async function measure(
  clients: number,
  op: (worker: number, i: number) => Promise<unknown>,
): Promise<Measured> {
  const deadline = performance.now() + SECONDS * 1000;
  let count = 0;
  const cpuBefore = serverCpuMicros();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(w, i);
        count++;
      }
    }),
  );
  return {
    opsPerSec: count / ((performance.now() - start) / 1000),
    serverCpuMicrosPerOp: (serverCpuMicros() - cpuBefore) / Math.max(1, count),
  };
}

const rows: { name: string; clients: number; opsPerSec: number }[] = [];
function report(name: string, clients: number, m: Measured): void {
  rows.push({ name, clients, opsPerSec: m.opsPerSec });
  console.log(
    `${name.padEnd(38)} ${String(clients).padStart(3)} client(s)  ${m.opsPerSec.toFixed(0).padStart(8)} ops/s   server CPU ${m.serverCpuMicrosPerOp.toFixed(0).padStart(5)} µs/op`,
  );
}

async function seed(coll: Collection<Document>, n: number): Promise<void> {
  for (let i = 0; i < n; i += 10_000) {
    await coll.insertMany(
      Array.from({ length: Math.min(10_000, n - i) }, (_, j) => ({
        k: i + j,
        payload: `value-${i + j}`,
      })),
    );
  }
  await coll.createIndex({ k: 1 });
}

async function lookupMicros(
  coll: Collection<Document>,
  n: number,
  samples: number,
): Promise<number> {
  for (let i = 0; i < 200; i++) await coll.findOne({ k: Math.floor(Math.random() * n) }); // warm-up
  const start = performance.now();
  for (let i = 0; i < samples; i++) await coll.findOne({ k: Math.floor(Math.random() * n) });
  return ((performance.now() - start) * 1000) / samples;
}

async function main(): Promise<void> {
  console.log(
    `embedded-mongo bench — ${os.cpus().length} cores, node ${process.version}, ${SECONDS}s per figure\n`,
  );

  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (figures drop with machine load; server CPU per op does not)\n`,
  );
  const mem = await startServer();
  serverPid = mem.child.pid;
  const client = await new MongoClient(mem.uri, { maxPoolSize: 16 }).connect();
  try {
    const db = client.db("bench");
    const docs = db.collection("docs");
    const ids: ObjectId[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(new ObjectId());
    await docs.insertMany(ids.map((_id, i) => ({ _id, k: i, n: 0, name: `doc-${i}` })));
    await docs.createIndex({ k: 1 });

    for (const clients of [1, 16]) {
      const ins = db.collection(`inserts_${clients}`);
      report(
        "insertOne (in-memory)",
        clients,
        await measure(clients, () => ins.insertOne({ a: 1, b: "x" })),
      );
      report(
        "findOne by _id",
        clients,
        await measure(clients, (_, i) => docs.findOne({ _id: ids[(i * 7919) % ids.length] })),
      );
      report(
        "indexed find (k = value)",
        clients,
        await measure(clients, (_, i) => docs.find({ k: (i * 7919) % 10_000 }).toArray()),
      );
      report(
        "updateOne by _id ($inc)",
        clients,
        await measure(clients, (_, i) =>
          docs.updateOne({ _id: ids[(i * 7919) % ids.length] }, { $inc: { n: 1 } }),
        ),
      );
      const ledger = db.collection("ledger");
      report(
        "transaction (3 ops, withTransaction)",
        clients,
        await measure(clients, async (w, i) => {
          const session = client.startSession();
          try {
            await session.withTransaction(async () => {
              // Each worker moves its own document, so transactions rarely conflict.
              const _id = ids[w * 500 + (i % 500)];
              await docs.findOne({ _id }, { session });
              await docs.updateOne({ _id }, { $inc: { n: 1 } }, { session });
              await ledger.insertOne({ w, i }, { session });
            });
          } finally {
            await session.endSession();
          }
        }),
      );
    }

    const small = db.collection("lookup_1k");
    const large = db.collection("lookup_100k");
    await seed(small, 1_000);
    await seed(large, 100_000);
    const tSmall = await lookupMicros(small, 1_000, 3000);
    const tLarge = await lookupMicros(large, 100_000, 3000);
    console.log(
      `\nindexed findOne latency: 1,000 docs ${tSmall.toFixed(0)} µs, 100,000 docs ${tLarge.toFixed(0)} µs (ratio ${(tLarge / tSmall).toFixed(2)}x)`,
    );

    const start = performance.now();
    for (let i = 0; i < 1000; i++) {
      const tdb = client.db(`tenant_${i}`);
      await tdb.createCollection("users");
      await tdb.collection("users").createIndex({ email: 1 }, { unique: true });
    }
    console.log(
      `1,000 tenant databases (create + unique index): ${((performance.now() - start) / 1000).toFixed(2)} s`,
    );
  } finally {
    await client.close();
    await stopServer(mem.child);
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-mongo-bench-"));
  const durable = await startServer(dir);
  serverPid = durable.child.pid;
  const dclient = await new MongoClient(durable.uri, { maxPoolSize: 16 }).connect();
  try {
    const coll = dclient.db("bench").collection("durable");
    console.log("");
    for (const clients of [1, 16]) {
      const journal = async () =>
        (await dclient.db().admin().command({ serverStatus: 1 })).journal as {
          records: number;
          rounds: number;
        };
      const before = await journal();
      report(
        "insertOne (durable, fsync'd)",
        clients,
        await measure(clients, () => coll.insertOne({ a: 1, b: "x" })),
      );
      const after = await journal();
      const perRound = (after.records - before.records) / Math.max(1, after.rounds - before.rounds);
      console.log(`${"".padEnd(38)} group commit: ${perRound.toFixed(1)} writes per fsync round`);
    }
  } finally {
    await dclient.close();
    await stopServer(durable.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const get = (name: string, clients: number) =>
    rows.find((r) => r.name === name && r.clients === clients)?.opsPerSec ?? 0;
  console.log("\ngoals:");
  console.log(`  findOne by _id, 1 client >= 5,000 ops/s: ${get("findOne by _id", 1).toFixed(0)}`);
  console.log(
    `  durable insertOne, 16 clients >= 2,000 ops/s: ${get("insertOne (durable, fsync'd)", 16).toFixed(0)}`,
  );
}

await main();
