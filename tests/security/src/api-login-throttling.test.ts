// Audit F-1, F-8, F-10: every attempt is counted before its password is verified, so parallel and
// batched guesses cannot outrun the limit; the per-IP limit holds on the apps' route handlers too
// (from the trusted proxy's X-Forwarded-For, or the socket's address); and an attacker's failures
// lock out the attacker's address, not the user.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Stack } from "./api-stack";
import { ADMIN, OWNER_PASSWORD, cookiesOf, inParallel, reasons, startStack } from "./api-stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack({ tenants: 5 });
}, 120_000);
afterAll(async () => s?.stop());

const ip = (n: number) => ({ "x-forwarded-for": `203.0.113.${n}` });
const WRONG = "Wrong-Guess-000-xyz";

describe("tenant login", () => {
  it("verifies at most 5 of 20 parallel wrong guesses on one email from one address (API)", async () => {
    const owner = s.tenants[0]?.email ?? "";
    const results = await inParallel(20, () =>
      s.apiCall(
        "app",
        "mutation",
        "auth.login",
        { email: owner, password: WRONG },
        { headers: ip(1) },
      ),
    );
    const by = reasons(results);
    expect(by.INVALID_CREDENTIALS ?? 0).toBeLessThanOrEqual(5);
    expect((by.INVALID_CREDENTIALS ?? 0) + (by.RATE_LIMITED ?? 0)).toBe(20);
    const limited = results.find((r) => r.reason === "RATE_LIMITED");
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("verifies at most 50 of 60 parallel attempts from one address on the web app (trusted proxy header)", async () => {
    const results = await inParallel(60, (i) =>
      s.web.call(
        "mutation",
        "auth.login",
        { email: `spray-${i}@nowhere.test`, password: WRONG },
        { headers: ip(2) },
      ),
    );
    const by = reasons(results);
    expect(by.INVALID_CREDENTIALS ?? 0).toBeLessThanOrEqual(50);
    expect(by.RATE_LIMITED ?? 0).toBeGreaterThanOrEqual(10);
  });

  it("refuses a batch of 20 logins whole, with 400 AUTH_IN_BATCH, and verifies none", async () => {
    const owner = s.tenants[1]?.email ?? "";
    const paths = Array.from({ length: 20 }, () => "auth.login").join(",");
    const input: Record<number, unknown> = {};
    for (let i = 0; i < 20; i++) input[i] = { json: { email: owner, password: `${WRONG}${i}` } };
    for (const [url, prefix, headers] of [
      [s.api.url, "/trpc", ip(3)],
      [s.web.url, "/api/trpc", { ...ip(3), "x-tenantry-csrf": "1" }],
    ] as const) {
      const res = await fetch(`${url}${prefix}/${paths}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(input),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { json: { data: { reason: string } } } }[];
      expect(body).toHaveLength(20);
      expect(body.every((b) => b.error.json.data.reason === "AUTH_IN_BATCH")).toBe(true);
    }
    // Nothing was verified, so nothing was counted: the owner still signs in from that address.
    const ok = await s.apiCall(
      "app",
      "mutation",
      "auth.login",
      { email: owner, password: OWNER_PASSWORD },
      { headers: ip(3) },
    );
    expect(ok.ok).toBe(true);
  });

  it("does not lock the user out: after an attacker's failures the right password works from another address", async () => {
    const owner = s.tenants[2]?.email ?? "";
    for (let i = 0; i < 6; i++)
      await s.apiCall(
        "app",
        "mutation",
        "auth.login",
        { email: owner, password: WRONG },
        { headers: ip(4) },
      );
    const attacker = await s.apiCall(
      "app",
      "mutation",
      "auth.login",
      { email: owner, password: OWNER_PASSWORD },
      { headers: ip(4) },
    );
    expect(attacker.reason).toBe("RATE_LIMITED");
    const user = await s.web.call(
      "mutation",
      "auth.login",
      { email: owner, password: OWNER_PASSWORD },
      { headers: ip(5) },
    );
    expect(user.ok).toBe(true);
  });
});

describe("super-admin login, changePassword and switchTenant", () => {
  it("the admin app verifies at most 5 of 20 parallel guesses, and at most 50 of 60 from the socket's address", async () => {
    const one = await inParallel(20, () =>
      s.admin.call("mutation", "auth.login", { email: ADMIN.email, password: WRONG }),
    );
    expect(reasons(one).INVALID_CREDENTIALS ?? 0).toBeLessThanOrEqual(5);
    // No trusted proxy: the admin app keys on the socket's address (127.0.0.1), with fresh emails.
    const many = await inParallel(60, (i) =>
      s.admin.call("mutation", "auth.login", { email: `root-${i}@nowhere.test`, password: WRONG }),
    );
    const failed =
      (reasons(one).INVALID_CREDENTIALS ?? 0) + (reasons(many).INVALID_CREDENTIALS ?? 0);
    expect(failed).toBeLessThanOrEqual(50);
    expect(reasons(many).RATE_LIMITED ?? 0).toBeGreaterThanOrEqual(10);
  });

  it("changePassword and switchTenant verify at most 5 of 20 parallel wrong passwords", async () => {
    const seed = s.tenants[4];
    if (!seed) throw new Error("no tenant");
    // A second membership for the owner, in an organisation whose password switchTenant checks.
    const other = s.tenants[3];
    if (!other) throw new Error("no tenant");
    const otherOwner = await s.apiCall(
      "app",
      "mutation",
      "auth.login",
      { email: other.email, password: OWNER_PASSWORD },
      { headers: ip(10) },
    );
    const added = await s.apiCall(
      "app",
      "mutation",
      "members.create",
      { email: seed.email, name: "Also here", role: "member", password: "Other-Tenant-Pass-2026!" },
      { token: (otherOwner.data as { accessToken: string }).accessToken },
    );
    expect(added.ok).toBe(true);
    // Switching in without a password is the default: this organisation asks for its own.
    const ownSignIn = await s.apiCall(
      "app",
      "mutation",
      "settings.update",
      { requireOwnSignIn: true },
      { token: (otherOwner.data as { accessToken: string }).accessToken },
    );
    expect(ownSignIn.ok).toBe(true);
    const login = await s.web.call(
      "mutation",
      "auth.login",
      { email: seed.email, password: OWNER_PASSWORD, tenantSlug: seed.slug },
      { headers: ip(6) },
    );
    expect(login.ok).toBe(true);
    const cookie = cookiesOf(login);
    const change = await inParallel(20, () =>
      s.web.call(
        "mutation",
        "auth.changePassword",
        { currentPassword: WRONG, newPassword: "Brand-New-Pass-2026!" },
        { headers: { ...ip(7), cookie } },
      ),
    );
    expect(reasons(change).INVALID_CREDENTIALS ?? 0).toBeLessThanOrEqual(5);
    const login2 = await s.web.call(
      "mutation",
      "auth.login",
      { email: seed.email, password: OWNER_PASSWORD, tenantSlug: seed.slug },
      { headers: ip(8) },
    );
    const switched = await inParallel(20, () =>
      s.web.call(
        "mutation",
        "auth.switchTenant",
        { tenantSlug: other.slug, password: WRONG },
        { headers: { ...ip(9), cookie: cookiesOf(login2) } },
      ),
    );
    const by = reasons(switched);
    expect(by.INVALID_CREDENTIALS ?? 0).toBeLessThanOrEqual(5);
    expect((by.INVALID_CREDENTIALS ?? 0) + (by.RATE_LIMITED ?? 0)).toBe(20);
  });
});
