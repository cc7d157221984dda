// Property-based fuzzing of every procedure of appRouter and adminRouter through HTTP against the
// real API server process: no 5xx (503 with a reason excepted), never a non-JSON answer, the
// server keeps answering /healthz, and a rejected call writes nothing (every collection's count
// in every database unchanged).
import { appRouter, adminRouter } from "@tenantry/api";
import fc from "fast-check";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiChild, MongoChild } from "./child-processes";
import { startApiChild, startMongoChild } from "./child-processes";
import { procedureInput, rawBody } from "./fuzz-inputs";
import type { CallResult, Surface } from "./trpc-over-http";
import { callProcedure, expectOk } from "./trpc-over-http";
import {
  ADMIN,
  OWNER_PASSWORD,
  apiEnv,
  createAdmin,
  newDeployment,
  openTenancy,
  provisionTenants,
} from "./tenant-fixtures";
import type { TenantSeed } from "./tenant-fixtures";

const RUNS = Number(process.env.FUZZ_RUNS ?? 8);

/**
 * Writes a rejected call may make by design: a failed login is recorded (rate limiting) in the
 * control database's loginAttempts.
 */
const WRITES_ALLOWED_ON_REJECTION: Record<string, RegExp> = {
  "auth.login": /\.loginattempts$/i,
  "auth.switchTenant": /\.loginattempts$/i,
  "auth.changePassword": /\.loginattempts$/i,
  // Two-factor codes count in the same login limiter (a wrong code is a failed attempt).
  "auth.loginSecondFactor": /\.loginattempts$/i,
  "auth.twoFactor.confirm": /\.loginattempts$/i,
  "auth.twoFactor.disable": /\.loginattempts$/i,
  "auth.twoFactor.regenerateRecoveryCodes": /\.loginattempts$/i,
};

/**
 * Control collections the server writes on its own timers, whatever the call in front of it:
 * per-tenant request counts (synced every TENANT_RATE_SYNC_MS), usage counts (flushed every
 * USAGE_FLUSH_SECONDS) and the instance's fleet entry (every INSTANCE_HEARTBEAT_MS); in the
 * control and every tenant database, the webhook deliveries the relay makes (every poll) from
 * events earlier successful calls committed; and the background job runner's jobs and migrateAll
 * runs (queued by an earlier call, locked and finished on the runner's own schedule). Their writes
 * carry earlier calls' work and the instance's own figures, never a refused call's data.
 */
const BACKGROUND_WRITES =
  /\.(tenantrequestrates|usagedaily|apiinstances|webhookdeliveries|jobs|jobruns)$/i;

let mongo: MongoChild;
let api: ApiChild;
let db: MongoClient;
let fuzzer: TenantSeed;
let victim: TenantSeed;
const tokens = { tenant: "", admin: "" };
const known: unknown[] = [];
// Every call comes from its own client address (TRUST_PROXY): the fuzzer's failed logins must not
// rate-limit the fixtures' own sign-ins.
let ipSeq = 0;
const fixtureHeaders = { "x-forwarded-for": "198.51.100.1" };

async function signIn(): Promise<void> {
  const t = await expectOk<{ accessToken: string }>(
    callProcedure(
      api.url,
      "app",
      "mutation",
      "auth.login",
      { email: fuzzer.email, password: OWNER_PASSWORD, tenantSlug: fuzzer.slug },
      { headers: fixtureHeaders },
    ),
    "tenant login",
  );
  tokens.tenant = t.accessToken;
  const a = await expectOk<{ accessToken: string }>(
    callProcedure(api.url, "admin", "mutation", "auth.login", ADMIN, { headers: fixtureHeaders }),
    "admin login",
  );
  tokens.admin = a.accessToken;
}

async function counts(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const dbs = (await db.db().admin().listDatabases({ nameOnly: true })).databases.map(
    (d) => d.name,
  );
  for (const name of dbs) {
    if (name === "admin" || name === "local" || name === "config") continue;
    for (const c of await db.db(name).listCollections({}, { nameOnly: true }).toArray()) {
      out.set(`${name}.${c.name}`, await db.db(name).collection(c.name).countDocuments({}));
    }
  }
  return out;
}

function changed(
  before: Map<string, number>,
  after: Map<string, number>,
  allowed?: RegExp,
): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .filter(
      (k) => before.get(k) !== after.get(k) && !allowed?.test(k) && !BACKGROUND_WRITES.test(k),
    )
    .map((k) => `${k}: ${before.get(k) ?? "-"} -> ${after.get(k) ?? "-"}`);
}

beforeAll(async () => {
  mongo = await startMongoChild();
  const deployment = newDeployment(mongo.uri);
  const tenancy = await openTenancy(deployment);
  try {
    await createAdmin(tenancy);
    [fuzzer, victim] = (await provisionTenants(tenancy, 2, { prefix: "fuzz" })) as [
      TenantSeed,
      TenantSeed,
    ];
  } finally {
    await tenancy.shutdown({ timeoutMs: 2000 });
  }
  api = await startApiChild(apiEnv(deployment, { TRUST_PROXY: "true" }));
  db = await new MongoClient(mongo.uri).connect();
  await signIn();
  // Real identifiers of the other tenant, so some inputs are well-formed and aimed across tenants.
  const victimToken = await expectOk<{ accessToken: string }>(
    callProcedure(
      api.url,
      "app",
      "mutation",
      "auth.login",
      { email: victim.email, password: OWNER_PASSWORD, tenantSlug: victim.slug },
      { headers: fixtureHeaders },
    ),
    "victim login",
  );
  const note = await expectOk<{ id: string }>(
    callProcedure(
      api.url,
      "app",
      "mutation",
      "notes.create",
      { title: "victim's note", body: "secret", tags: [] },
      { token: victimToken.accessToken },
    ),
    "victim note",
  );
  const me = await expectOk<{ user: { id: string } }>(
    callProcedure(api.url, "app", "query", "auth.me", undefined, {
      token: victimToken.accessToken,
    }),
    "victim me",
  );
  known.push(
    victim.id,
    victim.slug,
    victim.email,
    note.id,
    me.user.id,
    "default",
    victimToken.accessToken,
  );
}, 120_000);

afterAll(async () => {
  await db?.close();
  await api?.stop();
  await mongo?.stop();
});

/** What the server answered, by procedure, so the report shows how deep the fuzzing reached. */
const outcomes = new Map<string, Map<string, number>>();
function tally(proc: string, r: CallResult) {
  const key = r.ok
    ? "ok"
    : `${r.status} ${r.code ?? "-"}${r.reason && r.reason !== r.code ? `/${r.reason}` : ""}`;
  const m = outcomes.get(proc) ?? new Map<string, number>();
  m.set(key, (m.get(key) ?? 0) + 1);
  outcomes.set(proc, m);
}

type Procedure = { surface: Surface; path: string; type: "query" | "mutation" };
const procedures: Procedure[] = [
  ...Object.entries(
    appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
  ).map(([path, p]) => ({
    surface: "app" as const,
    path,
    type: p._def.type as Procedure["type"],
  })),
  ...Object.entries(
    adminRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
  ).map(([path, p]) => ({
    surface: "admin" as const,
    path,
    type: p._def.type as Procedure["type"],
  })),
];

async function fuzzCall(
  proc: Procedure,
  auth: "own" | "none" | "other-surface",
  input: unknown,
  raw: string | null,
): Promise<{ r: CallResult; writes: string[] }> {
  const token =
    auth === "none"
      ? undefined
      : (proc.surface === "app") === (auth === "own")
        ? tokens.tenant
        : tokens.admin;
  const before = await counts();
  const r = await callProcedure(api.url, proc.surface, proc.type, proc.path, input, {
    token,
    headers: { "x-forwarded-for": `203.0.113.${(ipSeq++ % 250) + 1}` },
    ...(raw !== null ? { rawInput: raw } : {}),
    signal: AbortSignal.timeout(20_000),
  });
  const after = await counts();
  return { r, writes: r.ok ? [] : changed(before, after, WRITES_ALLOWED_ON_REJECTION[proc.path]) };
}

describe("fuzzing every procedure through HTTP", () => {
  it("covers both routers", () => {
    expect(procedures.filter((p) => p.surface === "app").length).toBeGreaterThanOrEqual(20);
    expect(procedures.filter((p) => p.surface === "admin").length).toBeGreaterThanOrEqual(20);
  });

  for (const proc of procedures) {
    it(`${proc.surface}:${proc.path} (${proc.type})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(
            "own" as const,
            "own" as const,
            "none" as const,
            "other-surface" as const,
          ),
          procedureInput(known),
          fc.option(rawBody, { freq: 5 }),
          async (auth, input, raw) => {
            const { r, writes } = await fuzzCall(proc, auth, input, raw);
            tally(`${proc.surface}:${proc.path}`, r);
            const where = `${proc.surface}:${proc.path} auth=${auth} -> HTTP ${r.status} ${r.code ?? ""} ${r.reason ?? ""}: ${r.raw.slice(0, 300)}`;
            expect(r.status, where).toBeGreaterThanOrEqual(200);
            expect(r.status === 500 || (r.status > 500 && r.status !== 503), where).toBe(false);
            if (r.status === 503) expect(r.reason, where).toMatch(/UNAVAILABLE/);
            // Every answer from the tRPC endpoints is JSON with a typed error code when it fails
            // (except Node's own refusals of oversized requests, which never reach tRPC).
            if (r.status !== 413 && r.status !== 431) {
              expect(() => JSON.parse(r.raw) as unknown, where).not.toThrow();
              if (!r.ok) expect(r.code, where).toBeTruthy();
            }
            expect(writes, where).toEqual([]);
            // A call that succeeded may have ended the fuzzer's sessions (logout, password change).
            if (r.ok && proc.type === "mutation") await signIn();
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      );
      const health = await fetch(`${api.url}/healthz`);
      expect(health.status).toBe(200);
      expect(api.child.exitCode).toBeNull();
    }, 120_000);
  }

  it("after all of it the server is healthy and the fuzzer's tenant still works", async () => {
    const lines = [...outcomes].map(
      ([p, m]) => `${p}: ${[...m].map(([k, n]) => `${k} ×${n}`).join(", ")}`,
    );
    console.info(`fuzz outcomes (${RUNS} runs per procedure):\n${lines.join("\n")}`);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    await signIn();
    const list = await callProcedure(
      api.url,
      "app",
      "query",
      "notes.list",
      { limit: 5 },
      { token: tokens.tenant },
    );
    expect(list.ok, list.raw).toBe(true);
    // The other tenant's note never became visible to the fuzzer.
    const leaked = (list.data as { items: { title: string }[] }).items.filter(
      (n) => n.title === "victim's note",
    );
    expect(leaked).toEqual([]);
  });
});
