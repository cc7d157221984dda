// Audit F-6, F-7: one request cannot carry unbounded work. Batches are capped at the api's
// MAX_BATCH_SIZE on every surface, and the apps' route handlers read at most 1 MiB of body, then
// answer 413 with a message saying so (as the standalone server does).
import { MAX_BATCH_SIZE } from "@tenantry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Stack } from "./api-stack";
import { OWNER_PASSWORD, cookiesOf, startStack } from "./api-stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack({ tenants: 1 });
}, 120_000);
afterAll(async () => s?.stop());

const surfaces = () =>
  [
    ["standalone API", `${s.api.url}/trpc`],
    ["standalone admin API", `${s.api.url}/admin/trpc`],
    ["web app", `${s.web.url}/api/trpc`],
    ["admin app", `${s.admin.url}/api/trpc`],
  ] as const;

function batchOf(n: number, base: string): string {
  return `${base}/${Array.from({ length: n }, () => "auth.me").join(",")}?batch=1&input=${encodeURIComponent("{}")}`;
}

describe("batch size", () => {
  it("refuses a batch of 21 calls with 400 on every surface, and runs one of 20", async () => {
    for (const [name, base] of surfaces()) {
      const over = await fetch(batchOf(21, base));
      const text = await over.text();
      expect(over.status, `${name}: ${text.slice(0, 200)}`).toBe(400);
      expect(text).toMatch(/batch/i);
      // At the limit the calls run (and each is refused for want of a session, not for the batch).
      const at = await fetch(batchOf(20, base));
      expect(at.status, name).toBe(401);
      expect((await at.json()) as unknown[]).toHaveLength(20);
    }
    // The clients' links are configured from this constant.
    expect(MAX_BATCH_SIZE).toBe(20);
  });

  it("refuses auth mutations inside a batch with a clear 400, alone they still run", async () => {
    const body = JSON.stringify({
      0: { json: { refreshToken: "x" } },
      1: { json: { email: "a@b.test", password: "Whatever-Pass-123" } },
    });
    for (const [name, base] of surfaces()) {
      const res = await fetch(`${base}/auth.refresh,auth.login?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-tenantry-csrf": "1" },
        body,
      });
      expect(res.status, name).toBe(400);
      const out = (await res.json()) as {
        error: { json: { message: string; data: { reason: string } } };
      }[];
      expect(out.map((o) => o.error.json.data.reason)).toEqual(["AUTH_IN_BATCH", "AUTH_IN_BATCH"]);
      expect(out[1]?.error.json.message).toMatch(/cannot be sent in a batch/);
    }
    // A batch of one is what the apps' unbatched link sends: allowed.
    const alone = await s.web.call("mutation", "auth.refresh", {});
    expect(alone.reason).toBe("REFRESH_INVALID");
  });
});

describe("body size on the apps' route handlers", () => {
  const big = JSON.stringify({ json: { title: "x".repeat(2 * 1024 * 1024), body: "", tags: [] } });

  // Signed in, so the handler gets as far as reading the body.
  const headers = { "content-type": "application/json", "x-tenantry-csrf": "1", cookie: "" };
  beforeAll(async () => {
    const login = await s.web.call("mutation", "auth.login", {
      email: s.tenants[0]?.email,
      password: OWNER_PASSWORD,
    });
    headers.cookie = cookiesOf(login);
  });

  it("answers a 2 MiB body with 413 and a message, declared or streamed", async () => {
    for (const app of [s.web, s.admin]) {
      const declared = await fetch(`${app.url}/api/trpc/notes.create`, {
        method: "POST",
        headers,
        body: big,
      });
      expect(declared.status).toBe(413);
      expect(await declared.text()).toMatch(/larger than 1024 KiB/);
      // Chunked: no Content-Length to go by, the cap applies while reading.
      const chunks = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      });
      const streamed = await fetch(`${s.web.url}/api/trpc/notes.create`, {
        method: "POST",
        headers,
        body: chunks,
        duplex: "half",
      });
      expect(streamed.status).toBe(413);
      expect(await streamed.text()).toMatch(/larger than 1024 KiB/);
    }
  });

  it("still reads a body under the cap", async () => {
    const small = await fetch(`${s.web.url}/api/trpc/notes.create`, {
      method: "POST",
      headers,
      body: JSON.stringify({ json: { title: "x".repeat(500_000), body: "", tags: [] } }),
    });
    // Read and validated: refused for the title's length, not for the body's size.
    expect(small.status).toBe(400);
    expect(await small.text()).toMatch(/INVALID_INPUT/);
  });
});
