// /metrics over HTTP: refused without the token, Prometheus text with prom-client's default
// metrics with it, and no tenant id or slug anywhere after traffic from several tenants.
import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance, TenantFixture } from "../../test/api-harness";
import { appClient, startHarness, startInstance } from "../../test/api-harness";

const METRICS_TOKEN = randomBytes(32).toString("base64url");
let h: Harness;
let tenants: TenantFixture[];

beforeAll(async () => {
  h = await startHarness({ metricsToken: METRICS_TOKEN });
  tenants = [];
  for (const slug of ["mx-alpha", "mx-bravo", "mx-charlie"]) tenants.push(await h.tenant(slug));
  for (const t of tenants) {
    await t.client.notes.create.mutate({ title: `note of ${t.slug}`, body: "b", tags: [] });
    await t.client.notes.list.query();
  }
  await appClient(h.url)
    .notes.list.query()
    .catch(() => undefined);
});
afterAll(async () => h?.stop());

const scrape = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/metrics`, { headers });

describe("/metrics", () => {
  it("answers 401 without the metrics token or with a wrong one", async () => {
    const none = await scrape(h.url);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await none.json()).toEqual({
      error: "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>",
    });
    expect((await scrape(h.url, { authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await scrape(h.url, { authorization: METRICS_TOKEN })).status).toBe(401);
    // A tenant's access token is not a metrics token.
    const tenantToken = { authorization: `Bearer ${tenants[0]?.token ?? ""}` };
    expect((await scrape(h.url, tenantToken)).status).toBe(401);
  });

  it("serves Prometheus text with default process metrics and the api's own", async () => {
    const res = await scrape(h.url, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(
      /^tenantry_trpc_requests_total\{procedure="app:notes.list",outcome="ok"\} 3$/m,
    );
    expect(text).toMatch(
      /^tenantry_trpc_requests_total\{procedure="app:notes.list",outcome="UNAUTHORIZED"\} 1$/m,
    );
    expect(text).toMatch(
      /^tenantry_trpc_duration_seconds_bucket\{le="\+Inf",procedure="app:notes.create",outcome="ok"\} 3$/m,
    );
    expect(text).toMatch(/^tenantry_http_responses_total\{route="\/trpc",status="200"\} \d+$/m);
    expect(text).toMatch(/^tenantry_http_responses_total\{route="\/metrics",status="401"\} \d+$/m);
    for (const gauge of ["handles", "leases", "open_clients", "leased_tenants", "registry_cached"])
      expect(text).toMatch(new RegExp(`^tenantry_pool_${gauge} \\d+$`, "m"));
    expect(text).toMatch(/^tenantry_tenant_calls_in_flight 0$/m);
    expect(text).toMatch(/^tenantry_auth_check_cache_hits \d+$/m);
  });

  it("names no tenant: no id or slug, and every label from a bounded set", async () => {
    const text = await (await scrape(h.url, { authorization: `Bearer ${METRICS_TOKEN}` })).text();
    for (const t of tenants) {
      expect(text).not.toContain(t.id);
      expect(text).not.toContain(t.slug);
    }
    expect(text).not.toMatch(/[0-9a-f]{24}/);
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    // prom-client's defaults add space, kind, type, version, major, minor, patch (all bounded).
    const ours = [...labelNames].filter(
      (l) =>
        !["space", "kind", "type", "version", "major", "minor", "patch", "le"].includes(l ?? ""),
    );
    expect(ours.sort()).toEqual(["outcome", "procedure", "route", "status"]);
  });

  it("does not exist (404) when no metrics token is configured", async () => {
    let plain: Instance | null = null;
    try {
      plain = await startInstance(h.uri, h.controlDbName);
      const res = await scrape(plain.url);
      expect(res.status).toBe(404);
    } finally {
      await plain?.close();
    }
  });

  it("refuses a metrics token that is too short to be a secret", async () => {
    await expect(startInstance(h.uri, h.controlDbName, { metricsToken: "short" })).rejects.toThrow(
      "metricsToken must be at least 32 characters",
    );
  });
});
