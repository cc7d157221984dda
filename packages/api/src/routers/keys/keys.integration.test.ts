// API keys over real HTTP against the embedded server: the secret shown once and never stored in
// clear, scopes (403 naming the scope), refusal reasons (401), revocation seen by a second
// instance within the auth-check TTL, suspension, per-key rate limits (429 + Retry-After),
// platform keys on the admin API, and the promise that no tenant key material reaches the
// control database.
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance, TenantFixture } from "../../../test/api-harness";
import {
  adminClient,
  appClient,
  failure,
  startHarness,
  startInstance,
} from "../../../test/api-harness";

const TTL_MS = 1000;
let h: Harness;
let second: Instance;
let limited: Instance;
let acme: TenantFixture;
let mongo: MongoClient;

beforeAll(async () => {
  h = await startHarness({ authCheckCacheMs: TTL_MS });
  second = await startInstance(h.uri, h.controlDbName, { authCheckCacheMs: TTL_MS });
  limited = await startInstance(h.uri, h.controlDbName, {
    apiKeyRateLimit: { perKey: 3, perTenant: 1000, windowSeconds: 60 },
  });
  acme = await h.tenant("acme");
  mongo = await MongoClient.connect(h.uri);
});
afterAll(async () => {
  await mongo?.close();
  await limited?.close();
  await second?.close();
  await h?.stop();
});

const createKey = (scopes: string[], name = `key ${scopes.join(" ")}`, expiresAt?: string) =>
  acme.client.keys.create.mutate({ name, scopes, ...(expiresAt ? { expiresAt } : {}) });

/** Every document of every collection of a database, as one string. */
async function dump(dbName: string): Promise<string> {
  const db = mongo.db(dbName);
  const parts: string[] = [];
  for (const c of await db.listCollections().toArray())
    parts.push(JSON.stringify(await db.collection(c.name).find().toArray()));
  return parts.join("\n");
}

describe("tenant API keys", () => {
  it("offers read/write scopes of the registered modules plus members:admin and keys:admin", async () => {
    const { scopes } = await acme.client.keys.scopes.query();
    expect(scopes).toEqual(["notes:read", "notes:write", "members:admin", "keys:admin"]);
  });

  it("shows the secret once, lists keys without it and stores only its hash", async () => {
    const created = await createKey(["notes:read"], "reporting");
    expect(created.secret).toMatch(/^tnk_[0-9a-f]{24}_[0-9a-f]{24}_[0-9a-f]{64}$/);
    expect(created.secret).toContain(acme.id);
    const { items } = await acme.client.keys.list.query();
    const listed = items.find((k) => k.id === created.key.id);
    expect(listed).toMatchObject({ name: "reporting", scopes: ["notes:read"], revokedAt: null });
    expect(JSON.stringify(items)).not.toContain(created.secret.slice(-64));
    expect(JSON.stringify(items)).not.toMatch(/secretHash/);
    const tenantDb = await dump((await h.tenancy.registry.get(acme.id)).dbName);
    expect(tenantDb).toContain(created.key.id);
    expect(tenantDb).not.toContain(created.secret.slice(-64));
  });

  it("calls within its scopes, audited as the service account, and records last use and IP", async () => {
    const { secret, key } = await createKey(["notes:read", "notes:write"], "importer");
    const client = appClient(h.url, secret);
    const note = await client.notes.create.mutate({ title: "From a program", body: "", tags: [] });
    expect(note.author).toEqual({ id: key.id, name: "importer" });
    expect((await client.notes.list.query({ limit: 5 })).items.map((n) => n.id)).toContain(note.id);
    const audit = await acme.client.audit.list.query({ action: "notes.create" });
    expect(audit.items[0]?.actor).toMatchObject({ id: key.id, type: "apiKey", name: "importer" });
    const listed = (await acme.client.keys.list.query()).items.find((k) => k.id === key.id);
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
    expect(listed?.lastUsedIp).toMatch(/127\.0\.0\.1/);
  });

  it("answers 403 naming the missing scope, and keeps keys away from members, keys and sign-in", async () => {
    const client = appClient(h.url, (await createKey(["notes:read"])).secret);
    const write = await failure(client.notes.create.mutate({ title: "x", body: "", tags: [] }));
    expect(write).toMatchObject({ httpStatus: 403, reason: "SCOPE_MISSING" });
    expect(write.data.missingScope).toBe("notes:write");
    expect(write.message).toContain("notes:write");
    const members = await failure(client.members.list.query());
    expect(members.data.missingScope).toBe("members:admin");
    const keys = await failure(client.keys.list.query());
    expect(keys).toMatchObject({ httpStatus: 403, reason: "SCOPE_MISSING" });
    expect(keys.data.missingScope).toBe("keys:admin");
    expect(await failure(client.auth.me.query())).toMatchObject({
      httpStatus: 403,
      reason: "SCOPE_MISSING",
    });
  });

  it("lets a keys:admin key create keys only with scopes it holds itself", async () => {
    const manager = appClient(h.url, (await createKey(["keys:admin", "notes:read"])).secret);
    const ok = await manager.keys.create.mutate({ name: "child", scopes: ["notes:read"] });
    expect(ok.secret).toMatch(/^tnk_/);
    const escalate = await failure(
      manager.keys.create.mutate({ name: "escalate", scopes: ["members:admin"] }),
    );
    expect(escalate).toMatchObject({ httpStatus: 403, reason: "SCOPE_MISSING" });
    const members = appClient(h.url, (await createKey(["members:admin"])).secret);
    expect((await members.members.list.query()).items.length).toBeGreaterThan(0);
  });

  it("refuses unknown scopes and past expiries with a clear 400", async () => {
    const bad = await failure(createKey(["notes:admin"]));
    expect(bad).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
    expect(bad.message).toContain("notes:admin");
    const past = await failure(createKey(["notes:read"], "old", "2020-01-01"));
    expect(past.message).toMatch(/future/);
  });

  it("answers 401 with a reason for malformed, unknown, wrong-secret, revoked and expired keys", async () => {
    const reason = async (token: string) =>
      failure(appClient(h.url, token).notes.list.query({ limit: 1 }));
    expect(await reason("tnk_not-a-key")).toMatchObject({
      httpStatus: 401,
      reason: "KEY_MALFORMED",
    });
    const { secret, key } = await createKey(["notes:read"]);
    const wrongSecret = secret.slice(0, -64) + "0".repeat(64);
    expect(await reason(wrongSecret)).toMatchObject({ httpStatus: 401, reason: "KEY_UNKNOWN" });
    const unknownId = secret.replace(key.id, "0".repeat(24));
    expect(await reason(unknownId)).toMatchObject({ httpStatus: 401, reason: "KEY_UNKNOWN" });
    const unknownTenant = secret.replace(acme.id, "f".repeat(24));
    expect(await reason(unknownTenant)).toMatchObject({ httpStatus: 401, reason: "KEY_UNKNOWN" });
    await acme.client.keys.revoke.mutate({ keyId: key.id });
    expect(await reason(secret)).toMatchObject({ httpStatus: 401, reason: "KEY_REVOKED" });
    const expiring = await createKey(
      ["notes:read"],
      "expiring",
      new Date(Date.now() + 60_000).toISOString(),
    );
    await mongo
      .db((await h.tenancy.registry.get(acme.id)).dbName)
      .collection("apiKeys")
      .updateOne({ name: "expiring" }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await reason(expiring.secret)).toMatchObject({ httpStatus: 401, reason: "KEY_EXPIRED" });
  });

  it("refuses a key revoked through one instance on a second instance within the TTL", async () => {
    const { secret, key } = await createKey(["notes:read"], "two-instances");
    const onSecond = appClient(second.url, secret);
    await onSecond.notes.list.query({ limit: 1 }); // now cached on the second instance
    const revokedAt = Date.now();
    await acme.client.keys.revoke.mutate({ keyId: key.id });
    let err: Awaited<ReturnType<typeof failure>> | null = null;
    while (!err && Date.now() - revokedAt < 5000) {
      err = await failure(onSecond.notes.list.query({ limit: 1 })).catch(() => null);
      if (!err) await new Promise((r) => setTimeout(r, 20));
    }
    const after = Date.now() - revokedAt;
    expect(err).toMatchObject({ httpStatus: 401, reason: "KEY_REVOKED" });
    // The cache's TTL bounds it; the slack is for a loaded machine, not part of the promise.
    expect(after).toBeLessThan(TTL_MS + 1500);
  });

  it("answers 429 with Retry-After once a key is over its limit, on every instance", async () => {
    const { secret } = await createKey(["notes:read"], "limited");
    const input = encodeURIComponent(JSON.stringify({ json: { limit: 1 } }));
    const call = () =>
      fetch(`${limited.url}/trpc/notes.list?input=${input}`, {
        headers: { authorization: `Bearer ${secret}` },
      });
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { json: { data: { reason: string } } } };
    expect(body.error.json.data.reason).toBe("RATE_LIMITED");
  });

  it("refuses a suspended tenant's key like its tokens, and works again after resume", async () => {
    const beta = await h.tenant("beta-keys");
    const created = await beta.client.keys.create.mutate({ name: "beta", scopes: ["notes:read"] });
    const client = appClient(h.url, created.secret);
    await client.notes.list.query({ limit: 1 });
    await h.admin.tenants.suspend.mutate({ id: beta.id, reason: "unpaid invoice" });
    const refused = await failure(client.notes.list.query({ limit: 1 }));
    expect(refused).toMatchObject({ httpStatus: 403, reason: "TENANT_SUSPENDED" });
    expect(refused.data.suspendedReason).toBe("unpaid invoice");
    await h.admin.tenants.resume.mutate({ id: beta.id });
    expect((await client.notes.list.query({ limit: 1 })).items).toEqual([]);
  });

  it("keeps every tenant key secret and hash out of the control database", async () => {
    const { secret, key } = await createKey(["notes:read"], "promise");
    const stored = await mongo
      .db((await h.tenancy.registry.get(acme.id)).dbName)
      .collection("apiKeys")
      .find()
      .toArray();
    const control = await dump(h.controlDbName);
    expect(control).not.toContain(secret.slice(-64));
    for (const doc of stored) expect(control).not.toContain(String(doc.secretHash));
    expect(control).not.toContain(key.id);
  });
});

describe("platform keys", () => {
  it("drive the admin API within their scopes and are refused once revoked", async () => {
    const cli = { type: "cli" as const, id: "ops", email: null };
    const reader = await h.tenancy.platformKeys.create(cli, {
      name: "dashboards",
      scopes: ["platform:read"],
    });
    expect(reader.secret).toMatch(/^tnp_[0-9a-f]{24}_[0-9a-f]{64}$/);
    const admin = adminClient(h.url, reader.secret);
    expect((await admin.tenants.list.query({})).total).toBeGreaterThan(0);
    const write = await failure(admin.tenants.suspend.mutate({ id: acme.id, reason: "nope" }));
    expect(write).toMatchObject({ httpStatus: 403, reason: "SCOPE_MISSING" });
    expect(write.data.missingScope).toBe("platform:write");
    expect(await failure(admin.auth.me.query())).toMatchObject({ reason: "SCOPE_MISSING" });
    // Each kind of key works on its own root only.
    expect(
      await failure(appClient(h.url, reader.secret).notes.list.query({ limit: 1 })),
    ).toMatchObject({ httpStatus: 401, reason: "KEY_UNKNOWN" });
    const tenantKey = (await createKey(["notes:read"])).secret;
    expect(await failure(adminClient(h.url, tenantKey).tenants.list.query({}))).toMatchObject({
      httpStatus: 401,
      reason: "KEY_UNKNOWN",
    });
    const controlDump = await dump(h.controlDbName);
    expect(controlDump).not.toContain(reader.secret.slice(-64));
    await h.tenancy.platformKeys.revoke(cli, reader.key.id);
    h.services.keyChecks.invalidate("platform");
    expect(await failure(admin.tenants.list.query({}))).toMatchObject({
      httpStatus: 401,
      reason: "KEY_REVOKED",
    });
  });

  it("audit a writing platform key as the key, not as a person", async () => {
    const writer = await h.tenancy.platformKeys.create(
      { type: "cli", id: "ops", email: null },
      { name: "automation", scopes: ["platform:read", "platform:write"] },
    );
    const gamma = await h.tenant("gamma-keys");
    await adminClient(h.url, writer.secret).tenants.suspend.mutate({
      id: gamma.id,
      reason: "test",
    });
    const entries = await h.tenancy.audit.list({ action: "tenant.suspended", tenantId: gamma.id });
    expect(entries.items[0]?.actor).toMatchObject({ type: "apiKey", id: writer.key.id });
  });
});
