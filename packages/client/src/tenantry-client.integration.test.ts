import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { totpCode } from "@tenantry/test-kit";

import type { TestApi } from "../test/api-server";
import { ADMIN, PASSWORD, provisionTenant, startTestApi } from "../test/api-server";
import type { Tokens } from "./index";
import { TRPCClientError, createTenantryAdminClient, createTenantryClient } from "./index";

let api: TestApi;

beforeAll(async () => {
  // One-second access tokens, so the refresh path runs for real.
  api = await startTestApi({
    jwt: {
      secret: "s".repeat(40),
      issuer: "tenantry-test",
      audience: "tenantry-api",
      accessTtlSeconds: 1,
    },
  });
  await provisionTenant(api, "acme");
});
afterAll(async () => api?.stop());

describe("createTenantryClient with two-factor sign-in", () => {
  it("finishes a sign-in with the code step and keeps the tokens", async () => {
    await provisionTenant(api, "tfa");
    const enrolling = createTenantryClient({ url: api.url });
    await enrolling.login({ email: "owner@tfa.test", password: PASSWORD });
    const { manualKey } = await enrolling.auth.twoFactor.begin.mutate();
    await enrolling.auth.twoFactor.confirm.mutate({ code: totpCode(manualKey) });

    const client = createTenantryClient({ url: api.url });
    const step = await client.login({ email: "owner@tfa.test", password: PASSWORD });
    if (step.status !== "secondFactor")
      throw new Error(`expected the code step, got ${step.status}`);
    expect(client.getTokens().accessToken).toBeNull();
    await client.loginSecondFactor({ challenge: step.challenge, code: totpCode(manualKey, 1) });
    expect((await client.auth.me.query()).twoFactor.enabled).toBe(true);
  });
});

describe("createTenantryClient", () => {
  it("logs in, keeps the tokens and makes typed calls", async () => {
    const client = createTenantryClient({ url: api.url, tenantSlug: "acme" });
    const res = await client.login({ email: "owner@acme.test", password: PASSWORD });
    expect(res.status).toBe("ok");
    expect(client.getTokens().accessToken).toMatch(/^ey/);
    const note = await client.notes.create.mutate({ title: "typed", body: "", tags: ["t"] });
    expect(note.createdAt).toBeInstanceOf(Date); // superjson round-trip
    const list = await client.notes.list.query({ tag: "t" });
    expect(list.items.map((n) => n.id)).toContain(note.id);
  });

  it("refreshes expired access tokens by itself and reports new pairs", async () => {
    const seen: Tokens[] = [];
    // No early refresh: the server must answer TOKEN_EXPIRED and the client recover from it.
    const client = createTenantryClient({
      url: api.url,
      onTokens: (t) => seen.push(t),
      refreshSkewMs: 0,
    });
    await client.login({ email: "owner@acme.test", password: PASSWORD });
    const first = client.getTokens();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await client.auth.me.query()).user.email).toBe("owner@acme.test");
    const second = client.getTokens();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    // Parallel calls share one refresh (a refresh token is single-use).
    await new Promise((r) => setTimeout(r, 1500));
    const results = await Promise.all([
      client.notes.list.query(),
      client.auth.me.query(),
      client.settings.get.query(),
    ]);
    expect(results).toHaveLength(3);
  });
});

describe("createTenantryClient with tokens from elsewhere", () => {
  // Its own server with the default 15-minute access tokens: with the 1-second tokens above, the
  // token could expire before the logout is observed and the refusal would say TOKEN_EXPIRED.
  let longApi: TestApi;
  beforeAll(async () => {
    longApi = await startTestApi({
      jwt: { secret: "l".repeat(40), issuer: "tenantry-test", audience: "tenantry-api" },
    });
    await provisionTenant(longApi, "acme");
  });
  afterAll(async () => longApi?.stop());

  it("accepts a token from elsewhere, and surfaces typed errors with a reason", async () => {
    const anon = createTenantryClient({ url: longApi.url });
    const err = await anon
      .login({ email: "owner@acme.test", password: "wrong-password-x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<never>).data).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "INVALID_CREDENTIALS",
    });
    const other = createTenantryClient({ url: longApi.url });
    await other.login({ email: "owner@acme.test", password: PASSWORD });
    const reuse = createTenantryClient({
      url: `${longApi.url}/trpc`,
      token: other.getTokens().accessToken ?? "",
    });
    expect((await reuse.health.tenant.query()).ok).toBe(true);
    await other.logout();
    expect(other.getTokens()).toEqual({ accessToken: null, refreshToken: null });
    const gone = await reuse.health.tenant.query().catch((e: unknown) => e);
    expect((gone as TRPCClientError<never>).data).toMatchObject({ reason: "SESSION_REVOKED" });
  });
});

describe("createTenantryAdminClient", () => {
  it("logs in as a super admin and administers tenants", async () => {
    const admin = createTenantryAdminClient({ url: api.url });
    await admin.login(ADMIN);
    const list = await admin.tenants.list.query({ search: "acme" });
    expect(list.items.map((t) => t.slug)).toEqual(["acme"]);
    const created = await admin.tenants.create.mutate({
      slug: "globex",
      name: "Globex",
      owner: { email: "o@globex.test", name: "O", password: PASSWORD },
    });
    expect(created.status).toBe("active");
  });
});

describe("bundle hygiene", () => {
  it("imports nothing from @tenantry/api at run time (types only)", () => {
    const dir = join(import.meta.dirname);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.includes(".test."))) {
      const source = readFileSync(join(dir, file), "utf8");
      const js = ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
      }).outputText;
      expect(js, file).not.toMatch(/@tenantry\/(api|tenancy)|mongoose|argon2/);
    }
  });
});
