// Webhooks over real HTTP (tRPC) against the embedded server and a 127.0.0.1 receiver: owners
// manage their organisation's endpoints (others get 403), a module event (note.created) is
// delivered signed and verified with standardwebhooks, bad URLs are 400 with the reason, one
// tenant never sees another's endpoints or deliveries, and super admins manage platform endpoints.
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";

import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance, TenantFixture } from "../../../test/api-harness";
import {
  OWNER_PASSWORD,
  adminClient,
  appClient,
  failure,
  signedIn,
  startHarness,
  startInstance,
} from "../../../test/api-harness";

let h: Harness;
let strict: Instance;
let acme: TenantFixture;
let globex: TenantFixture;
let hook: { url: string; received: { headers: IncomingHttpHeaders; body: string }[] };
let receiver: Server;

beforeAll(async () => {
  h = await startHarness({}, undefined, {
    webhooks: { allowPrivateUrls: true, retryBaseMs: 20, pollMs: 50 },
  });
  strict = await startInstance(
    h.uri,
    h.controlDbName,
    {},
    { webhooks: { allowPrivateUrls: false } },
  );
  acme = await h.tenant("acme");
  globex = await h.tenant("globex");
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hook = { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`, received };
  h.tenancy.webhooks.worker.start();
});
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await strict?.close();
  await h?.stop();
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("organisation webhooks", () => {
  it("delivers a signed note.created to the owner's endpoint and logs the status code", async () => {
    const { eventTypes } = await acme.client.webhooks.eventTypes.query();
    expect(eventTypes).toEqual([
      "member.added",
      "member.removed",
      "member.role_changed",
      "note.created",
    ]);
    const { endpoint, secret } = await acme.client.webhooks.create.mutate({
      url: hook.url,
      eventTypes: ["note.created"],
      description: "notes feed",
    });
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await acme.client.webhooks.list.query())).not.toContain(secret);
    const note = await acme.client.notes.create.mutate({
      title: "Hello hooks",
      body: "",
      tags: [],
    });
    const got = await until(
      async () => hook.received.find((r) => r.body.includes(note.id)),
      Boolean,
    );
    if (!got) throw new Error("not received");
    expect(
      new Webhook(secret).verify(got.body, got.headers as Record<string, string>),
    ).toMatchObject({
      type: "note.created",
      data: { noteId: note.id, title: "Hello hooks" },
    });
    const { items } = await until(
      () => acme.client.webhooks.deliveries.query({ endpointId: endpoint.id }),
      (d) => d.items[0]?.status === "delivered",
    );
    expect(items[0]?.attempts[0]).toMatchObject({ statusCode: 200, error: null });
    const replayed = await acme.client.webhooks.replay.mutate({ deliveryId: items[0]?.id ?? "" });
    expect(replayed.delivery.status).toBe("pending");
    await until(
      () => acme.client.webhooks.deliveries.query({ endpointId: endpoint.id }),
      (d) => d.items[0]?.status === "delivered" && d.items[0].attempts.length === 2,
    );
    const audit = await acme.client.audit.list.query({ action: "webhooks.create" });
    expect(audit.items).toHaveLength(1);
  });

  it("refuses non-owners with 403 and bad URLs with 400", async () => {
    await acme.client.members.create.mutate({
      email: "admin@acme.test",
      name: "Acme Admin",
      role: "admin",
      password: OWNER_PASSWORD,
    });
    const login = await appClient(h.url).auth.login.mutate({
      email: "admin@acme.test",
      password: OWNER_PASSWORD,
      tenantSlug: "acme",
    });
    if (login.status !== "ok") throw new Error("admin login failed");
    const admin = appClient(h.url, login.accessToken ?? "");
    for (const call of [
      admin.webhooks.create.mutate({ url: hook.url }),
      admin.webhooks.list.query(),
      admin.webhooks.deliveries.query({}),
    ]) {
      const f = await failure(call);
      expect(f).toMatchObject({ httpStatus: 403, reason: "FORBIDDEN_ROLE" });
    }
    const bad = await failure(acme.client.webhooks.create.mutate({ url: "ftp://example.com/x" }));
    expect(bad).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
    expect(bad.message).toMatch(/http\(s\) URL/);
    const unknownType = await failure(
      acme.client.webhooks.create.mutate({ url: hook.url, eventTypes: ["tenant.suspended"] }),
    );
    expect(unknownType).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
  });

  it("keeps each organisation's endpoints and deliveries to itself", async () => {
    const [acmeEndpoint] = (await acme.client.webhooks.list.query()).items;
    const [acmeDelivery] = (await acme.client.webhooks.deliveries.query({})).items;
    expect(acmeEndpoint && acmeDelivery).toBeTruthy();
    expect((await globex.client.webhooks.list.query()).items).toEqual([]);
    expect((await globex.client.webhooks.deliveries.query({})).items).toEqual([]);
    expect(
      (await globex.client.webhooks.deliveries.query({ endpointId: acmeEndpoint?.id ?? "" })).items,
    ).toEqual([]);
    const toggle = await failure(
      globex.client.webhooks.setEnabled.mutate({
        endpointId: acmeEndpoint?.id ?? "",
        enabled: false,
      }),
    );
    expect(toggle).toMatchObject({ httpStatus: 404, reason: "NOT_FOUND" });
    const replay = await failure(
      globex.client.webhooks.replay.mutate({ deliveryId: acmeDelivery?.id ?? "" }),
    );
    expect(replay).toMatchObject({ httpStatus: 404, reason: "NOT_FOUND" });
  });
});

describe("platform webhooks", () => {
  it("lets super admins register, list and disable endpoints for platform events", async () => {
    const { endpoint, secret } = await h.admin.webhooks.create.mutate({
      url: hook.url,
      eventTypes: ["tenant.provisioned", "tenant.suspended"],
    });
    const tenant = await h.tenant("initech");
    const got = await until(
      async () =>
        hook.received.find((r) => r.body.includes(tenant.id) && r.body.includes("tenant.")),
      Boolean,
    );
    if (!got) throw new Error("not received");
    expect(
      new Webhook(secret).verify(got.body, got.headers as Record<string, string>),
    ).toMatchObject({
      type: "tenant.provisioned",
    });
    const { items } = await until(
      () => h.admin.webhooks.deliveries.query({ endpointId: endpoint.id }),
      (d) => d.items[0]?.status === "delivered",
    );
    expect(items[0]?.attempts[0]?.statusCode).toBe(200);
    const off = await h.admin.webhooks.setEnabled.mutate({
      endpointId: endpoint.id,
      enabled: false,
    });
    expect(off.endpoint.enabled).toBe(false);
    expect((await h.admin.webhooks.list.query()).items.map((e) => e.id)).toContain(endpoint.id);
    // A tenant token is not a super admin's.
    const f = await failure(adminClient(h.url, acme.token).webhooks.list.query());
    expect(f.httpStatus).toBe(401);
  });

  it("refuses http and private targets when the policy is strict (production)", async () => {
    const login = await signedIn(
      adminClient(strict.url).auth.login.mutate({
        email: "root@tenantry.test",
        password: "Sup3r-Admin-Passw0rd!",
      }),
    );
    const admin = adminClient(strict.url, login.accessToken ?? "");
    const http = await failure(admin.webhooks.create.mutate({ url: hook.url }));
    expect(http).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
    expect(http.message).toMatch(/https/);
    const loopback = await failure(
      admin.webhooks.create.mutate({ url: hook.url.replace("http:", "https:") }),
    );
    expect(loopback).toMatchObject({ httpStatus: 400 });
    expect(loopback.message).toMatch(/private or loopback/);
  });
});
