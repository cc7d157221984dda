import { randomBytes } from "node:crypto";
import { request } from "node:http";

import { startTestDatabase } from "@tenantry/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../test/api-harness";
import { startHarness, startInstance } from "../../test/api-harness";
import { MAX_BATCH_SIZE } from "../http/request-limits";
import { createStandaloneServer } from "./http-server";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

describe("standalone server", () => {
  it("answers /healthz and /readyz", async () => {
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${h.url}/nope`)).status).toBe(404);
  });

  it("logs JSON lines that all carry a request id, and the tenant id once known", async () => {
    const before = h.logs.length;
    const res = await fetch(`${h.url}/trpc/notes.list`, {
      headers: { authorization: `Bearer ${acme.token}`, "x-request-id": "req-abc-123" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-abc-123");
    await new Promise((r) => setTimeout(r, 20));
    const lines = h.logs.slice(before);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => typeof l.reqId === "string")).toBe(true);
    const call = lines.find((l) => l.path === "notes.list");
    expect(call).toMatchObject({ reqId: "req-abc-123", tenantId: acme.id, outcome: "ok" });
    const http = lines.find((l) => l.msg === "http request");
    expect(http).toMatchObject({ reqId: "req-abc-123", status: 200 });
  });

  it("answers malformed, oversized and batched requests with 4xx or per-call results, never a 500", async () => {
    const auth = { authorization: `Bearer ${acme.token}`, "content-type": "application/json" };
    const malformed = await fetch(`${h.url}/trpc/notes.create`, {
      method: "POST",
      headers: auth,
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    const huge = await fetch(`${h.url}/trpc/notes.create`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ json: { title: "big", body: "x".repeat(2 * 1024 * 1024), tags: [] } }),
    });
    expect(huge.status).toBe(413);
    const wrongMethod = await fetch(`${h.url}/trpc/notes.create`, { headers: auth });
    expect(wrongMethod.status).toBe(405);
    // A batch: one good call, one invalid, one for a missing procedure — each answered on its own.
    const input = encodeURIComponent(
      JSON.stringify({ 0: { json: {} }, 1: { json: { id: "nope" } } }),
    );
    const batch = await fetch(
      `${h.url}/trpc/notes.list,notes.get,notes.nothing?batch=1&input=${input}`,
      { headers: auth },
    );
    expect(batch.status).toBe(207);
    const parts = (await batch.json()) as {
      result?: unknown;
      error?: { json: { data: { httpStatus: number } } };
    }[];
    expect(parts[0]?.result).toBeTruthy();
    expect(parts[1]?.error?.json.data.httpStatus).toBe(400);
    expect(parts[2]?.error?.json.data.httpStatus).toBe(404);
  });

  it("answers a query URL too long for Node's parser with 431, not a connection reset", async () => {
    // 200 KiB of input in the URL: Node refuses the request line before any handler runs, while
    // the client is still sending it. Every try gets the answer, and the server keeps serving.
    const input = encodeURIComponent(JSON.stringify({ json: { q: "x".repeat(200 * 1024) } }));
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${h.url}/trpc/notes.list?input=${input}`, {
        headers: { authorization: `Bearer ${acme.token}` },
      });
      expect(res.status).toBe(431);
      expect(await res.json()).toEqual({ error: "Request Header Fields Too Large" });
    }
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it("runs a batch of MAX_BATCH_SIZE calls and refuses a longer one with 400", async () => {
    const auth = { authorization: `Bearer ${acme.token}` };
    const batchOf = (n: number) =>
      fetch(`${h.url}/trpc/${Array(n).fill("notes.list").join(",")}?batch=1&input={}`, {
        headers: auth,
      });
    const full = await batchOf(MAX_BATCH_SIZE);
    expect(full.status).toBe(200);
    expect(((await full.json()) as unknown[]).length).toBe(MAX_BATCH_SIZE);
    const tooLong = await batchOf(MAX_BATCH_SIZE + 1);
    expect(tooLong.status).toBe(400);
    const body = JSON.stringify(await tooLong.json());
    expect(body).toContain("Batch call exceeds maximum size");
    expect(body).not.toContain("at ");
  });

  it("answers a request whose Host makes no URL with 400, and keeps serving", async () => {
    const { port } = new URL(h.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/trpc/notes.list",
          headers: { host: "bad host:x", authorization: `Bearer ${acme.token}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(400);
    expect(
      (
        await fetch(`${h.url}/trpc/notes.list`, {
          headers: { authorization: `Bearer ${acme.token}` },
        })
      ).status,
    ).toBe(200);
  });

  it("can run without the admin API", async () => {
    const server = createStandaloneServer({ services: h.services, admin: false });
    const { url } = await server.listen(0);
    try {
      expect((await fetch(`${url}/admin/trpc/auth.me`)).status).toBe(404);
      expect(
        (await fetch(`${url}/trpc/auth.me`, { headers: { authorization: `Bearer ${acme.token}` } }))
          .status,
      ).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("reports not-ready and answers without stack traces when the database goes away", async () => {
    const mongo = await startTestDatabase({ embedded: true }); // it stops this one
    const inst = await startInstance(
      mongo.uri,
      `ctl_${randomBytes(3).toString("hex")}`,
      {},
      { unavailableAfterMs: 500 },
    );
    try {
      const admin = await fetch(`${inst.url}/admin/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          json: { email: "root@tenantry.test", password: "Sup3r-Admin-Passw0rd!" },
        }),
      });
      expect(admin.status).toBe(200);
      await mongo.stop();
      const ready = await fetch(`${inst.url}/readyz`);
      expect(ready.status).toBe(503);
      const res = await fetch(`${inst.url}/admin/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          json: { email: "root@tenantry.test", password: "Sup3r-Admin-Passw0rd!" },
        }),
      });
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(body).toContain("DATABASE_UNAVAILABLE");
      expect(body).not.toMatch(/stack|\bat .*\.ts:\d+/);
    } finally {
      await inst.close().catch(() => undefined);
    }
  }, 30_000);
});
