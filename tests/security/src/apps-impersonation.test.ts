// Issue 13 item 3 (audit F-2, R10): the web app's impersonation hand-off. Only a form post from
// the admin app's origin is taken, only with a valid, unexpired tenant token carrying `imp`, and
// the cookie it sets dies with the token. Anything else is refused and sets no cookie: otherwise
// any site could sign a visitor into an account of its choosing, or sign them out.
import { SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppSession, AppsStack, SignedInStack } from "./apps-stack";
import { setCookies, startSignedInStack } from "./apps-stack";

let stack: AppsStack;
let admin: AppSession;
let owner: AppSession;
let tenant: SignedInStack["tenant"];
let impToken = "";

beforeAll(async () => {
  ({ stack, admin, tenant, web: owner } = await startSignedInStack("apps-impersonation", "imp-co"));
  impToken = (
    await admin.mutate<{ accessToken: string }>("impersonate.start", {
      tenantId: tenant.id,
      userEmail: tenant.email,
      reason: "security suite: hand-off",
    })
  ).accessToken;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** The admin app's hidden form, posted to the web app (a browser sends its own Origin). */
function handoff(token: string, origin: string | null, expiresAt?: string): Promise<Response> {
  const body = new URLSearchParams({ token });
  if (expiresAt) body.set("expiresAt", expiresAt);
  return fetch(`${stack.webUrl}/api/session/impersonate`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(origin === null ? {} : { origin }),
    },
    body,
  });
}

/** The same claims, re-signed with the deployment's real key: only what we change differs. */
async function resign(token: string, change: Record<string, unknown>, secret: string) {
  const claims = { ...decodeJwt(token), ...change };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", kid: "k1", typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
}

const aYearAhead = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe("impersonation hand-off (POST /api/session/impersonate)", () => {
  it("from the admin app it signs in as the user, with a cookie that lives exactly as long as the token", async () => {
    const exp = decodeJwt(impToken).exp ?? 0;
    // The form's expiresAt is attacker-controlled input: a year ahead must not stretch the cookie.
    const res = await handoff(impToken, new URL(stack.adminUrl).origin, aYearAhead());
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const cookies = setCookies(res);
    const access = cookies.get("tenantry_at");
    expect(access?.value).toBe(impToken);
    const maxAge = Number(access?.attrs.get("max-age"));
    const remaining = exp - Math.floor(Date.now() / 1000);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(remaining + 1);
    const expires = access?.attrs.get("expires");
    if (expires) expect(Date.parse(expires)).toBeLessThanOrEqual((exp + 1) * 1000);
    // No refresh cookie: the session cannot outlive the token (only a deletion may be sent).
    const refresh = cookies.get("tenantry_rt");
    if (refresh) expect(refresh.value).toBe("");

    const me = await fetch(`${stack.webUrl}/api/trpc/auth.me`, {
      headers: { cookie: `tenantry_at=${impToken}` },
    });
    expect(me.status).toBe(200);
    expect(await me.text()).toContain(tenant.email);
  });

  it("a post from any other origin, or with none, is refused and sets no cookie", async () => {
    for (const origin of ["https://evil.example", new URL(stack.webUrl).origin, "null", null]) {
      const res = await handoff(impToken, origin);
      expect(res.status, `Origin ${origin}`).toBe(403);
      expect(res.headers.getSetCookie(), `Origin ${origin}`).toEqual([]);
      expect(((await res.json()) as { error: string }).error).toMatch(/admin app/);
    }
  });

  it("only a valid, unexpired tenant token carrying imp is taken; nothing else sets a cookie", async () => {
    const ownToken = owner.cookies.get("tenantry_at") ?? "";
    const adminToken = admin.cookies.get("tenantry_admin_at") ?? "";
    expect(ownToken).not.toBe("");
    expect(adminToken).not.toBe("");
    const secret = stack.env.JWT_SECRET ?? "";
    const past = Math.floor(Date.now() / 1000) - 60;
    const cases: [string, string, number, string][] = [
      ["JWT-shaped junk", "aaaa.bbbb.cccc", 401, "TOKEN_INVALID"],
      ["the user's own sign-in token (no imp)", ownToken, 401, "NOT_IMPERSONATION"],
      ["a super-admin token (admin audience)", adminToken, 401, "TOKEN_INVALID"],
      [
        "an expired impersonation token",
        await resign(impToken, { exp: past, iat: past - 600 }, secret),
        401,
        "TOKEN_EXPIRED",
      ],
      [
        "an impersonation token signed with another key",
        await resign(impToken, {}, "another-secret-of-at-least-32-characters!"),
        401,
        "TOKEN_INVALID",
      ],
      ["no token", "", 400, "INVALID_INPUT"],
    ];
    for (const [what, token, status, reason] of cases) {
      const res = await handoff(token, new URL(stack.adminUrl).origin);
      expect(res.status, what).toBe(status);
      expect(res.headers.getSetCookie(), what).toEqual([]);
      const body = (await res.json()) as { error: string; reason: string };
      expect(body.reason, what).toBe(reason);
      expect(body.error, what).not.toBe("");
    }
  });
});
