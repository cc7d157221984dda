// Events and webhooks against the embedded server and real HTTP receivers on 127.0.0.1: the outbox
// commits with its change or not at all; deliveries are signed (verified with standardwebhooks'
// own Webhook.verify), retried with backoff, dead-lettered and replayed; the URL policy refuses
// http and private addresses in production, at registration and at delivery time.
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";

import { MongoClient } from "mongodb";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig, uniqueName } from "../../test/tenancy-fixture";
import type { TestServer } from "../../test/tenancy-fixture";
import type { TenancyConfig } from "../config";
import { InvalidInput, RoleForbidden } from "../errors";
import type { MemberActor } from "../members";
import type { Tenancy } from "../tenancy";
import { createTenancy } from "../tenancy";
import type { TenantScope } from "../tenancy-runtime";
import { isPrivateAddress } from "./webhook-url-policy";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver answering with the queued status codes (then 200). */
async function receiver(): Promise<{
  url: string;
  received: Received[];
  answers: number[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = answers.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

class InjectedCrash extends Error {}

let server: TestServer;
let base: TenancyConfig;
let tenancy: Tenancy;

const WEBHOOKS = {
  allowPrivateUrls: true,
  retryBaseMs: 20,
  retryMaxMs: 40,
  maxAttempts: 3,
  timeoutMs: 2000,
  pollMs: 50,
};

beforeAll(async () => {
  server = await startServer();
  base = testConfig(server.uri, { webhooks: WEBHOOKS });
  tenancy = await createTenancy(base);
});
afterAll(async () => {
  await tenancy?.shutdown();
  await server?.stop();
});

async function provisioned(t: Tenancy = tenancy) {
  const slug = uniqueName("wh").replace(/_/g, "-").slice(0, 30);
  return t.lifecycle.provision({ slug, name: slug, owner: owner(slug) });
}

async function ownerActor(scope: TenantScope): Promise<MemberActor> {
  const user = await scope.models.User.findOne({ role: "owner" }).lean();
  if (!user) throw new Error("no owner");
  return { user };
}

async function controlOutbox(type: string, tenantId: string) {
  const client = new MongoClient(server.uri);
  try {
    return await client
      .db(base.controlDbName)
      .collection("eventOutbox")
      .find({ type, tenantId })
      .toArray();
  } finally {
    await client.close();
  }
}

/** Runs worker rounds until `done` holds (retries wait retryBaseMs·2^n). */
async function roundsUntil(done: () => Promise<boolean>, t: Tenancy = tenancy): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await t.webhooks.worker.runOnce();
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("outbox", () => {
  it("writes a platform event iff its change committed (crash between change and event)", async () => {
    const tenant = await provisioned();
    const crashing = await createTenancy({
      ...base,
      recoverOnStart: false,
      hooks: {
        beforeEventCommit(e) {
          if (e.type === "tenant.suspended") throw new InjectedCrash("crash before commit");
        },
      },
    });
    try {
      await expect(crashing.lifecycle.suspend(tenant.id, "unpaid")).rejects.toBeInstanceOf(
        InjectedCrash,
      );
      expect((await tenancy.tenants.get(tenant.id)).status).toBe("active");
      expect(await controlOutbox("tenant.suspended", tenant.id)).toHaveLength(0);
    } finally {
      await crashing.shutdown();
    }
    await tenancy.lifecycle.suspend(tenant.id, "unpaid");
    expect((await tenancy.tenants.get(tenant.id)).status).toBe("suspended");
    const events = await controlOutbox("tenant.suspended", tenant.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ tenantId: tenant.id, reason: "unpaid" });
    expect(await controlOutbox("tenant.provisioned", tenant.id)).toHaveLength(1);
    await tenancy.lifecycle.resume(tenant.id);
    await tenancy.plans.setPlan(tenant.id, { plan: "pro" });
    await tenancy.lifecycle.softDelete(tenant.id);
    await tenancy.lifecycle.purge(tenant.id);
    for (const type of ["tenant.resumed", "tenant.plan_changed", "tenant.deleted", "tenant.purged"])
      expect(await controlOutbox(type, tenant.id)).toHaveLength(1);
  });

  it("writes a member event in the tenant's database iff the member change committed", async () => {
    const tenant = await provisioned();
    const crashing = await createTenancy({
      ...base,
      recoverOnStart: false,
      hooks: {
        beforeEventCommit(e) {
          if (e.type === "member.added") throw new InjectedCrash("crash before commit");
        },
      },
    });
    const member = { email: "crash@example.com", name: "Crash", role: "member" as const };
    try {
      await crashing.withTenant(tenant.id, async (scope) => {
        await expect(
          crashing.members.add(scope, await ownerActor(scope), member),
        ).rejects.toBeInstanceOf(InjectedCrash);
        expect(await scope.models.User.exists({ email: member.email })).toBeNull();
        const outbox = scope.conn.db?.collection("eventOutbox");
        expect(await outbox?.countDocuments({ type: "member.added" })).toBe(0);
      });
    } finally {
      await crashing.shutdown();
    }
    await tenancy.withTenant(tenant.id, async (scope) => {
      const actor = await ownerActor(scope);
      const user = await tenancy.members.add(scope, actor, member);
      await tenancy.members.changeRole(scope, actor, user._id.toString(), "admin");
      await tenancy.members.remove(scope, actor, user._id.toString());
      const outbox = scope.conn.db?.collection("eventOutbox");
      const types = (await outbox?.find({}).sort({ _id: 1 }).toArray())?.map((e) => e.type);
      expect(types).toEqual(["member.added", "member.role_changed", "member.removed"]);
    });
    // Tenant events never land in the control outbox.
    expect(await controlOutbox("member.added", tenant.id)).toHaveLength(0);
  });
});

describe("deliveries", () => {
  it("signs a platform delivery that standardwebhooks' Webhook.verify accepts", async () => {
    const hook = await receiver();
    try {
      const { secret, endpoint } = await tenancy.webhooks.platform.create(
        { url: hook.url, eventTypes: ["tenant.provisioned"] },
        { type: "system", id: "test", email: null } as never,
      );
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
      const tenant = await provisioned();
      await roundsUntil(async () => hook.received.some((r) => r.body.includes(tenant.id)));
      const got = hook.received.find((r) => r.body.includes(tenant.id));
      if (!got) throw new Error("not received");
      const payload = new Webhook(secret).verify(got.body, got.headers as Record<string, string>);
      expect(payload).toMatchObject({
        type: "tenant.provisioned",
        data: { tenantId: tenant.id, slug: tenant.slug },
      });
      expect(() =>
        new Webhook(`whsec_${Buffer.from("another secret!!").toString("base64")}`).verify(
          got.body,
          got.headers as Record<string, string>,
        ),
      ).toThrow();
      const deliveries = await tenancy.webhooks.platform.deliveries({ endpointId: endpoint.id });
      const mine = deliveries.find((d) => d.status === "delivered");
      expect(mine?.attempts[0]).toMatchObject({ statusCode: 200, error: null });
      expect(typeof mine?.attempts[0]?.durationMs).toBe("number");
      await tenancy.webhooks.platform.setEnabled(endpoint.id, false, {
        type: "system",
      } as never);
    } finally {
      await hook.close();
    }
  });

  it("retries a tenant delivery after two 500s, then records it delivered", async () => {
    const hook = await receiver();
    try {
      const tenant = await provisioned();
      await tenancy.withTenant(tenant.id, async (scope) => {
        const actor = await ownerActor(scope);
        await tenancy.webhooks.tenant.create(scope, actor, {
          url: hook.url,
          eventTypes: ["member.added"],
        });
        hook.answers.push(500, 500);
        await tenancy.members.add(scope, actor, {
          email: "retry@example.com",
          name: "Retry",
          role: "member",
        });
      });
      const deliveries = () =>
        tenancy.withTenant(tenant.id, async (scope) =>
          tenancy.webhooks.tenant.deliveries(scope, await ownerActor(scope)),
        );
      await roundsUntil(async () => (await deliveries())[0]?.status === "delivered");
      const [delivery] = await deliveries();
      expect(delivery?.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
      expect(delivery?.attempts[0]?.error).toBe("HTTP 500");
      expect(hook.received).toHaveLength(3);
      // One message id across the retries (receivers deduplicate on it).
      expect(new Set(hook.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    } finally {
      await hook.close();
    }
  });

  it("dead-letters after maxAttempts failures; a replay then delivers", async () => {
    const hook = await receiver();
    try {
      const tenant = await provisioned();
      const deliveries = () =>
        tenancy.withTenant(tenant.id, async (scope) =>
          tenancy.webhooks.tenant.deliveries(scope, await ownerActor(scope)),
        );
      await tenancy.withTenant(tenant.id, async (scope) => {
        const actor = await ownerActor(scope);
        await tenancy.webhooks.tenant.create(scope, actor, { url: hook.url });
        hook.answers.push(503, 503, 503);
        await tenancy.members.add(scope, actor, {
          email: "dead@example.com",
          name: "Dead",
          role: "member",
        });
      });
      await roundsUntil(async () => (await deliveries())[0]?.status === "dead");
      const [dead] = await deliveries();
      expect(dead?.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
      expect(dead?.tries).toBe(WEBHOOKS.maxAttempts);
      await tenancy.withTenant(tenant.id, async (scope) => {
        await tenancy.webhooks.tenant.replay(scope, await ownerActor(scope), dead?.id ?? "");
      });
      await roundsUntil(async () => (await deliveries())[0]?.status === "delivered");
      const [replayed] = await deliveries();
      expect(replayed?.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 200]);
    } finally {
      await hook.close();
    }
  });
});

describe("the worker's tenant list", () => {
  it("forgets a purged tenant (its endpoints went with its database)", async () => {
    const tenant = await provisioned();
    await tenancy.withTenant(tenant.id, async (scope) => {
      await tenancy.webhooks.tenant.create(scope, await ownerActor(scope), {
        url: "http://127.0.0.1:9/gone",
      });
    });
    const client = new MongoClient(server.uri);
    try {
      const marks = client.db(base.controlDbName).collection("webhookTenants");
      expect(await marks.countDocuments({ _id: tenant.id as never })).toBe(1);
      await tenancy.lifecycle.softDelete(tenant.id);
      await tenancy.lifecycle.purge(tenant.id);
      await tenancy.webhooks.worker.runOnce();
      expect(await marks.countDocuments({ _id: tenant.id as never })).toBe(0);
    } finally {
      await client.close();
    }
  });
});

describe("policy and access", () => {
  it("classifies private, loopback, link-local and unspecified addresses", () => {
    for (const ip of [
      "127.0.0.1",
      "127.8.9.10",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "0.0.0.0",
      "::1",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "::ffff:127.0.0.1",
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ["8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700:4700::1111"])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it("refuses http and private targets in production, at registration and at delivery", async () => {
    const strict = await createTenancy({
      ...base,
      recoverOnStart: false,
      webhooks: { ...WEBHOOKS, allowPrivateUrls: false },
    });
    const hook = await receiver();
    try {
      const actor = { type: "system" } as never;
      const refusals: [string, RegExp][] = [
        ["http://example.com/hook", /must use https/],
        ["https://127.0.0.1/hook", /private or loopback/],
        ["https://localhost/hook", /private or loopback/],
        ["https://[::1]/hook", /private or loopback/],
        ["https://10.0.0.8/hook", /private or loopback/],
        ["https://169.254.169.254/latest", /private or loopback/],
        ["https://user:pw@example.com/", /credentials/],
        ["not a url", /Invalid webhook URL/],
      ];
      for (const [url, message] of refusals) {
        const err = await strict.webhooks.platform.create({ url }, actor).catch((e: unknown) => e);
        expect(err, url).toBeInstanceOf(InvalidInput);
        expect((err as Error).message, url).toMatch(message);
      }
      // Registered while relaxed; a strict worker refuses it when it connects (DNS rebinding).
      const tenant = await provisioned();
      await tenancy.withTenant(tenant.id, async (scope) => {
        const owner = await ownerActor(scope);
        await tenancy.webhooks.tenant.create(scope, owner, { url: hook.url });
        await tenancy.members.add(scope, owner, {
          email: "p@example.com",
          name: "P",
          role: "member",
        });
      });
      const deliveries = () =>
        strict.withTenant(tenant.id, async (scope) =>
          strict.webhooks.tenant.deliveries(scope, await ownerActor(scope)),
        );
      await roundsUntil(async () => ((await deliveries())[0]?.attempts.length ?? 0) > 0, strict);
      const [refused] = await deliveries();
      expect(refused?.attempts[0]).toMatchObject({ statusCode: null });
      expect(refused?.attempts[0]?.error).toMatch(/https|private or loopback/);
      expect(hook.received).toHaveLength(0);
    } finally {
      await hook.close();
      await strict.shutdown();
    }
  });

  it("lets only owners manage a tenant's webhooks, and keeps each tenant's to itself", async () => {
    const a = await provisioned();
    const b = await provisioned();
    const created = await tenancy.withTenant(a.id, async (scope) => {
      const actor = await ownerActor(scope);
      const admin = await tenancy.members.add(scope, actor, {
        email: "admin@example.com",
        name: "Admin",
        role: "admin",
        password: "correct horse battery staple",
      });
      await expect(
        tenancy.webhooks.tenant.create(scope, { user: admin }, { url: "http://127.0.0.1:9/x" }),
      ).rejects.toBeInstanceOf(RoleForbidden);
      await expect(tenancy.webhooks.tenant.list(scope, { user: admin })).rejects.toBeInstanceOf(
        RoleForbidden,
      );
      return tenancy.webhooks.tenant.create(scope, actor, { url: "http://127.0.0.1:9/x" });
    });
    await tenancy.withTenant(b.id, async (scope) => {
      const actor = await ownerActor(scope);
      expect(await tenancy.webhooks.tenant.list(scope, actor)).toEqual([]);
      await expect(
        tenancy.webhooks.tenant.setEnabled(scope, actor, created.endpoint.id, false),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await tenancy.webhooks.tenant.deliveries(scope, actor)).toEqual([]);
    });
    // The tenant's secret is in its own database only (sealed), never in the control database.
    const client = new MongoClient(server.uri);
    try {
      const control = client.db(base.controlDbName);
      for (const { name } of await control.listCollections().toArray()) {
        const text = JSON.stringify(await control.collection(name).find({}).toArray());
        expect(text, name).not.toContain(created.secret);
        expect(text, name).not.toContain("http://127.0.0.1:9/x");
      }
    } finally {
      await client.close();
    }
  });
});
