// Audit: /metrics named every busy tenant and answered anyone. It is served only with the metrics
// token, and what it serves is aggregates: no tenant id or slug, whatever traffic came before.
import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Stack } from "./api-stack";
import { OWNER_PASSWORD, startStack } from "./api-stack";

const TOKEN = randomBytes(24).toString("base64url");
let s: Stack;
beforeAll(async () => {
  s = await startStack({ tenants: 3, apiEnv: { METRICS_TOKEN: TOKEN } });
}, 120_000);
afterAll(async () => s?.stop());

const scrape = (authorization?: string) =>
  fetch(`${s.api.url}/metrics`, authorization ? { headers: { authorization } } : {});

describe("/metrics", () => {
  it("answers 401 without the metrics token, with a wrong one, or with a tenant's token", async () => {
    const [tenant] = s.tenants;
    expect(tenant).toBeDefined();
    const login = await s.apiCall("app", "mutation", "auth.login", {
      email: tenant?.email,
      password: OWNER_PASSWORD,
    });
    const { accessToken } = login.data as { accessToken: string };
    for (const auth of [undefined, "Bearer wrong-token", `Bearer ${accessToken}`]) {
      const res = await scrape(auth);
      expect(res.status, String(auth)).toBe(401);
      expect(await res.text()).not.toContain("tenantry_");
    }
  });

  it("serves aggregates that name no tenant after every tenant has been busy", async () => {
    for (const t of s.tenants) {
      const login = await s.apiCall("app", "mutation", "auth.login", {
        email: t.email,
        password: OWNER_PASSWORD,
      });
      const { accessToken } = login.data as { accessToken: string };
      for (let i = 0; i < 5; i++) {
        const r = await s.apiCall("app", "query", "notes.list", {}, { token: accessToken });
        expect(r.ok).toBe(true);
      }
    }
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("tenantry_trpc_requests_total");
    expect(text).toContain("process_cpu_user_seconds_total");
    for (const t of s.tenants) {
      expect(text).not.toContain(t.id);
      expect(text).not.toContain(t.slug);
    }
    expect(text).not.toMatch(/[0-9a-f]{24}/);
  });
});
