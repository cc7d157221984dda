// The admin app on its own: security headers, admin session cookie flags, the CSRF gate, and
// refusal of tenant tokens (here an impersonation token, the tenant token an admin can obtain).
import { request } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { PASSWORD, expect, test as base, unique } from "@tenantry/e2e/fixtures";
import {
  STACK_INSECURE_COOKIES,
  errorReason,
  expectHeadersEverywhere,
  expectSessionCookie,
  rawMutation,
  setCookies,
} from "@tenantry/e2e/security-checks";

const CSRF = { "x-tenantry-csrf": "1" };

/** A cookie context on the admin app per test; `signedIn` has logged in through it. */
const test = base.extend<{ adminHttp: APIRequestContext; signedIn: APIRequestContext }>({
  adminHttp: async ({ stack }, use) => {
    const ctx = await request.newContext({ baseURL: stack.adminUrl });
    await use(ctx);
    await ctx.dispose();
  },
  signedIn: async ({ stack, adminHttp }, use) => {
    const res = await rawMutation(
      adminHttp,
      "auth.login",
      { email: stack.adminEmail, password: stack.adminPassword },
      CSRF,
    );
    expect(res.status()).toBe(200);
    await use(adminHttp);
  },
});

test("every response carries the security headers; forms may post only here and to the web app", async ({
  stack,
}) => {
  // The build has no WEB_URL (so its baked policy allows loopback web apps); pages get the
  // running app's WEB_URL. Either way the impersonation hand-off may post to the web app.
  await expectHeadersEverywhere(stack.adminUrl, new URL(stack.webUrl).origin);
});

test("admin session cookies are HttpOnly and SameSite=Lax (not Secure: INSECURE_COOKIES=true)", async ({
  stack,
  adminHttp: admin,
}) => {
  const res = await rawMutation(
    admin,
    "auth.login",
    { email: stack.adminEmail, password: stack.adminPassword },
    CSRF,
  );
  expect(res.status()).toBe(200);
  const cookies = setCookies(res);
  expectSessionCookie(cookies, "tenantry_admin_at", !STACK_INSECURE_COOKIES);
  expectSessionCookie(cookies, "tenantry_admin_rt", !STACK_INSECURE_COOKIES);
});

test("cookie-authenticated mutations without the CSRF header or from a foreign Origin are refused and write nothing", async ({
  signedIn: admin,
}) => {
  const input = {
    slug: "forged-co",
    name: "Forged",
    owner: { email: "x@forged.test", name: "X", password: PASSWORD },
  };
  const noHeader = await rawMutation(admin, "tenants.create", input);
  expect(noHeader.status()).toBe(403);
  expect(await errorReason(noHeader)).toBe("CSRF");
  const foreign = await rawMutation(admin, "tenants.create", input, {
    ...CSRF,
    origin: "https://evil.example",
  });
  expect(foreign.status()).toBe(403);
  expect(await errorReason(foreign)).toBe("CSRF");
  const list = await admin.get(
    "/api/trpc/tenants.list?input=" +
      encodeURIComponent(JSON.stringify({ json: { search: "forged" } })),
  );
  expect(list.status()).toBe(200);
  expect(
    ((await list.json()) as { result: { data: { json: { total: number } } } }).result.data.json
      .total,
  ).toBe(0);
});

test("a tenant token is refused as the admin cookie and as a bearer token", async ({
  stack,
  tenants,
  signedIn: admin,
}) => {
  const slug = unique("sec-check");
  const created = await rawMutation(
    admin,
    "tenants.create",
    {
      slug,
      name: "Sec check",
      owner: { email: "o@sec.test", name: "O", password: PASSWORD },
    },
    CSRF,
  );
  expect(created.status()).toBe(200);
  const tenantId = ((await created.json()) as { result: { data: { json: { id: string } } } }).result
    .data.json.id;
  tenants.track({ id: tenantId, slug });
  const imp = await rawMutation(
    admin,
    "impersonate.start",
    { tenantId, userEmail: "o@sec.test", reason: "security e2e" },
    CSRF,
  );
  expect(imp.status()).toBe(200);
  const tenantToken = (
    (await imp.json()) as { result: { data: { json: { accessToken: string } } } }
  ).result.data.json.accessToken;
  expect(tenantToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  for (const headers of [
    { cookie: `tenantry_admin_at=${tenantToken}` },
    { authorization: `Bearer ${tenantToken}` },
  ] as Record<string, string>[]) {
    const ctx = await request.newContext({ baseURL: stack.adminUrl });
    try {
      for (const path of ["auth.me", "tenants.list"]) {
        const res = await ctx.get(`/api/trpc/${path}`, { headers });
        expect(res.status(), `${path} with ${Object.keys(headers)[0]}`).toBe(401);
      }
    } finally {
      await ctx.dispose();
    }
  }
});
