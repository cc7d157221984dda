// The database dies under load (SIGKILL of the embedded-mongo process) and comes back on the
// same port and dbPath. The API process is never restarted: it must answer cleanly while the
// database is gone, recover by itself, and every write it acknowledged must still be there.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { MongoClient, ObjectId } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiChild, MongoChild } from "./child-processes";
import { startApiChild, startMongoChild } from "./child-processes";
import type { LoadFailure } from "./load-run";
import { forEachLimited, runLoad } from "./load-run";
import { callProcedure } from "./trpc-over-http";
import {
  OWNER_PASSWORD,
  apiEnv,
  newDeployment,
  openTenancy,
  provisionTenants,
} from "./tenant-fixtures";
import type { Deployment, TenantSeed } from "./tenant-fixtures";

const KILL_AT_MS = 4_000;
const DOWN_FOR_MS = 1_500;
/** From the database being back to the API answering every call again. */
const RECOVERY_BUDGET_MS = 8_000;
/** Load goes on this long after the database is back, so recovery is observed, not assumed. */
const AFTER_BACK_MS = RECOVERY_BUDGET_MS + 4_000;

let dbPath: string;
let mongo: MongoChild;
let api: ApiChild;
let deployment: Deployment;
let seeds: TenantSeed[];
/** What callers saw while the database was gone (filled by the first test, judged by the second). */
const outageFailures: LoadFailure[] = [];

beforeAll(async () => {
  dbPath = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-db-"));
  mongo = await startMongoChild({ dbPath });
  deployment = newDeployment(mongo.uri);
  const tenancy = await openTenancy(deployment);
  try {
    seeds = await provisionTenants(tenancy, 12, { prefix: "dbkill" });
  } finally {
    await tenancy.shutdown({ timeoutMs: 2000 });
  }
  api = await startApiChild(apiEnv(deployment));
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await mongo?.stop();
  if (dbPath) fs.rmSync(dbPath, { recursive: true, force: true });
});

describe("embedded-mongo killed with SIGKILL and restarted mid-load", () => {
  it("the API recovers without a restart and no acknowledged write is lost", async () => {
    const apiPid = api.pid;
    const failures = outageFailures;
    let killedAt = 0;
    let backAt = 0;
    const readyDuringOutage: number[] = [];

    const stop = new AbortController();
    const chaos = (async () => {
      await new Promise((r) => setTimeout(r, KILL_AT_MS));
      await mongo.kill9();
      killedAt = Date.now();
      readyDuringOutage.push((await fetch(`${api.url}/readyz`)).status);
      await new Promise((r) => setTimeout(r, DOWN_FOR_MS));
      mongo = await startMongoChild({ port: mongo.port, dbPath });
      backAt = Date.now();
      await new Promise((r) => setTimeout(r, AFTER_BACK_MS));
      stop.abort();
    })();
    const loadStarted = Date.now();
    const report = await runLoad({
      url: api.url,
      tenants: seeds,
      users: 16,
      durationMs: 100_000,
      signal: stop.signal,
      requestTimeoutMs: 10_000,
      onFailure: (f) => failures.push(f),
    });
    await chaos;

    // The same API process served the whole time.
    expect(api.pid).toBe(apiPid);
    expect(api.child.exitCode).toBeNull();
    expect(readyDuringOutage).toEqual([503]);
    expect(failures.length).toBeGreaterThan(0); // the outage was real and seen by callers
    expect(failures.filter((f) => f.status === 503).length).toBeGreaterThan(failures.length / 2);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);

    // Failures only around the outage; none once the budget after the restart has passed.
    const lastFailure = Math.max(0, ...failures.map((f) => loadStarted + f.at));
    const recoveredAfterMs = Math.max(0, lastFailure - backAt);
    console.info(
      `db down ${backAt - killedAt} ms; ${failures.length} failed calls of ${Object.values(report.ops).reduce((a, b) => a + b, 0)}; ` +
        `last failure ${recoveredAfterMs} ms after the database was back; ${report.writes.length} acknowledged writes`,
    );
    expect(recoveredAfterMs).toBeLessThan(RECOVERY_BUDGET_MS);
    const afterRecovery = failures.length
      ? loadStarted + Math.max(...failures.map((f) => f.at))
      : backAt;
    expect(Date.now() - afterRecovery).toBeGreaterThan(3_000); // seconds of failure-free load after recovery

    // After recovery every tenant works again through the same API process.
    for (const seed of seeds.slice(0, 3)) {
      const login = await callProcedure(api.url, "app", "mutation", "auth.login", {
        email: seed.email,
        password: OWNER_PASSWORD,
        tenantSlug: seed.slug,
      });
      expect(login.ok, login.raw).toBe(true);
    }

    // Every acknowledged write survived the SIGKILL: through the API by its tenant, and directly.
    const tokens = new Map<number, string>();
    const missingViaApi: string[] = [];
    await forEachLimited(report.writes, 8, async (w) => {
      let token = tokens.get(w.tenant);
      if (!token) {
        const seed = seeds[w.tenant];
        const r = await callProcedure(api.url, "app", "mutation", "auth.login", {
          email: seed?.email,
          password: OWNER_PASSWORD,
          tenantSlug: seed?.slug,
        });
        token = (r.data as { accessToken: string }).accessToken;
        tokens.set(w.tenant, token);
      }
      const r = await callProcedure(
        api.url,
        "app",
        "query",
        "notes.get",
        { id: w.noteId },
        { token },
      );
      if (!r.ok || (r.data as { title: string }).title !== w.title) missingViaApi.push(w.noteId);
    });
    expect(report.writes.length).toBeGreaterThan(20);
    expect(missingViaApi).toEqual([]);

    const client = await new MongoClient(mongo.uri).connect();
    try {
      const tenants = await client
        .db(deployment.controlDbName)
        .collection<{ slug: string; dbName: string }>("tenants")
        .find({})
        .toArray();
      const dbOf = new Map(tenants.map((t) => [t.slug, t.dbName]));
      let present = 0;
      for (const w of report.writes) {
        const db = dbOf.get(seeds[w.tenant]?.slug ?? "") ?? "";
        if (
          await client
            .db(db)
            .collection("notes")
            .findOne({ _id: new ObjectId(w.noteId), title: w.title })
        )
          present++;
      }
      expect(present).toBe(report.writes.length);
    } finally {
      await client.close();
    }
  }, 120_000);

  it("answers every call made during the outage with a clean 503 (a machine reason, no stack), never a 500", () => {
    const failures = outageFailures;
    // While the database was down, callers got clean 5xx answers (503), never a 500 or a hang.
    const outageStatuses = [...new Set(failures.map((f) => f.status))];
    const serverErrors = api.lines.filter((l) => l.includes('"level":50'));
    expect(
      outageStatuses.filter((s) => s !== 503),
      `${JSON.stringify(failures.filter((f) => f.status !== 503).slice(0, 5))}\nAPI error log:\n${serverErrors.slice(0, 5).join("\n")}`,
    ).toEqual([]);
    for (const f of failures.filter((x) => x.status === 503))
      expect(f.reason).toMatch(/UNAVAILABLE/);
  });
});
