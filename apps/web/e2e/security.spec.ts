// Web security as a browser or an attacker meets it: headers on every response of both apps,
// session cookie flags, the CSRF gate on cookie-authenticated mutations, and each app refusing
// the other surface's tokens.
import { request } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { PASSWORD, adminLogin, expect, test as base, webLogin } from "@tenantry/e2e/fixtures";
import type { Tenant } from "@tenantry/e2e/fixtures";
import {
  STACK_INSECURE_COOKIES,
  errorReason,
  expectHeadersEverywhere,
  expectSessionCookie,
  rawMutation,
  setCookies,
  startProductionWeb,
} from "@tenantry/e2e/security-checks";

const CSRF = { "x-tenantry-csrf": "1" };

/** Each test gets Sam's tenant and a fresh cookie context per app (signed out). */
const test = base.extend<{
  secure: Tenant;
  webHttp: APIRequestContext;
  adminHttp: APIRequestContext;
}>({
  secure: async ({ tenants }, use) =>
    use(await tenants.create({ slug: "secure-co", owner: { name: "Sam Secure" } })),
  webHttp: async ({ stack }, use) => {
    const ctx = await request.newContext({ baseURL: stack.webUrl });
    await use(ctx);
    await ctx.dispose();
  },
  adminHttp: async ({ stack }, use) => {
    const ctx = await request.newContext({ baseURL: stack.adminUrl });
    await use(ctx);
    await ctx.dispose();
  },
});

/** Signs both contexts in (cookies kept) and returns the access tokens they got. */
async function signIn(
  web: APIRequestContext,
  admin: APIRequestContext,
  owner: Tenant["owner"],
  stack: { adminEmail: string; adminPassword: string },
) {
  const res = await rawMutation(
    web,
    "auth.login",
    { email: owner.email, password: PASSWORD },
    CSRF,
  );
  const adminRes = await rawMutation(
    admin,
    "auth.login",
    { email: stack.adminEmail, password: stack.adminPassword },
    CSRF,
  );
  return { res, adminRes };
}

test("both apps send CSP, frame, content-type, referrer and permissions headers on every response", async ({
  stack,
}) => {
  await expectHeadersEverywhere(stack.webUrl);
  // The admin app hands impersonation tokens to the web app by a form POST, so it may post there.
  await expectHeadersEverywhere(stack.adminUrl, new URL(stack.webUrl).origin);
});

test("the built pages run under the policy: signing in to both apps reports no CSP violation", async ({
  page,
  stack,
  secure,
}) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text()))
      violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await webLogin(page, stack, secure.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome, Sam/ })).toBeVisible();
  await adminLogin(page, stack);
  await page.getByLabel("Search", { exact: true }).fill(secure.slug);
  await expect(page.getByTestId("tenants-table")).toContainText(secure.slug);
  expect(violations).toEqual([]);
});

test("signing in from a link with a foreign next= (/%09/evil.example/) stays on the web app", async ({
  page,
  stack,
  secure,
}) => {
  const OWNER = secure.owner;
  const web = new URL(stack.webUrl).origin;
  await page.goto(`${web}/login?next=/%09/evil.example/`);
  await expect(page).toHaveURL(`${web}/login`); // the refused target is dropped at once
  await page.getByLabel("Email", { exact: true }).fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome, Sam/ })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(web);
});

test("session cookies are HttpOnly and SameSite=Lax (Secure off: the stack runs INSECURE_COOKIES=true)", async ({
  stack,
  secure,
  webHttp: web,
  adminHttp: admin,
}) => {
  const { res, adminRes } = await signIn(web, admin, secure.owner, stack);
  expect(res.status()).toBe(200);
  const cookies = setCookies(res);
  expectSessionCookie(cookies, "tenantry_at", !STACK_INSECURE_COOKIES);
  expectSessionCookie(cookies, "tenantry_rt", !STACK_INSECURE_COOKIES);

  expect(adminRes.status()).toBe(200);
  const adminCookies = setCookies(adminRes);
  expectSessionCookie(adminCookies, "tenantry_admin_at", !STACK_INSECURE_COOKIES);
  expectSessionCookie(adminCookies, "tenantry_admin_rt", !STACK_INSECURE_COOKIES);
});

test("in production without INSECURE_COOKIES the session cookies are also Secure", async ({
  stack,
  secure,
}) => {
  const OWNER = secure.owner;
  test.setTimeout(120_000);
  const prod = await startProductionWeb(
    stack.mongoUri,
    `test-results/web-production-server-${test.info().workerIndex}.log`,
  );
  const ctx = await request.newContext({ baseURL: prod.url });
  try {
    const res = await rawMutation(
      ctx,
      "auth.login",
      { email: OWNER.email, password: PASSWORD },
      CSRF,
    );
    expect(res.status()).toBe(200);
    const cookies = setCookies(res);
    expectSessionCookie(cookies, "tenantry_at", true);
    expectSessionCookie(cookies, "tenantry_rt", true);
  } finally {
    await ctx.dispose();
    await prod.stop();
  }
});

test("a cookie-authenticated mutation without the CSRF header, or from a foreign Origin, is refused and writes nothing", async ({
  stack,
  secure,
  webHttp: web,
  adminHttp: admin,
}) => {
  await signIn(web, admin, secure.owner, stack);
  const noHeader = await rawMutation(web, "notes.create", { title: "forged without header" });
  expect(noHeader.status()).toBe(403);
  expect(await errorReason(noHeader)).toBe("CSRF");
  const foreign = await rawMutation(
    web,
    "notes.create",
    { title: "forged from elsewhere" },
    { ...CSRF, origin: "https://evil.example" },
  );
  expect(foreign.status()).toBe(403);
  expect(await errorReason(foreign)).toBe("CSRF");
  // The same session with the header and its own origin works, and only that note exists.
  const ok = await rawMutation(
    web,
    "notes.create",
    { title: "legit note" },
    { ...CSRF, origin: new URL(stack.webUrl).origin },
  );
  expect(ok.status()).toBe(200);
  const list = await web.get(
    "/api/trpc/notes.list?input=" + encodeURIComponent(JSON.stringify({ json: {} })),
  );
  const titles = (
    (await list.json()) as { result: { data: { json: { items: { title: string }[] } } } }
  ).result.data.json.items.map((n) => n.title);
  expect(titles).toEqual(["legit note"]);

  // The admin app applies the same gate.
  const adminForged = await rawMutation(admin, "tenants.suspend", {
    id: "0".repeat(24),
    reason: "forged",
  });
  expect(adminForged.status()).toBe(403);
  expect(await errorReason(adminForged)).toBe("CSRF");
  const adminForeign = await rawMutation(
    admin,
    "tenants.suspend",
    { id: "0".repeat(24), reason: "forged" },
    { ...CSRF, origin: "https://evil.example" },
  );
  expect(adminForeign.status()).toBe(403);
  expect(await errorReason(adminForeign)).toBe("CSRF");
});

test("the admin app refuses a tenant token and the web app refuses an admin token, as cookie or bearer", async ({
  stack,
  secure,
  webHttp: web,
  adminHttp: admin,
}) => {
  const { res, adminRes } = await signIn(web, admin, secure.owner, stack);
  const tenantToken = setCookies(res).get("tenantry_at")?.value ?? "";
  const adminToken = setCookies(adminRes).get("tenantry_admin_at")?.value ?? "";
  expect(tenantToken).not.toBe("");
  expect(adminToken).not.toBe("");
  const probe = async (baseURL: string, path: string, headers: Record<string, string>) => {
    const ctx = await request.newContext({ baseURL });
    try {
      const res = await ctx.get(`/api/trpc/${path}`, { headers });
      return { status: res.status(), reason: await errorReason(res) };
    } finally {
      await ctx.dispose();
    }
  };
  // Sanity: each token works on its own app.
  expect(
    (await probe(stack.webUrl, "auth.me", { cookie: `tenantry_at=${tenantToken}` })).status,
  ).toBe(200);
  expect(
    (await probe(stack.adminUrl, "auth.me", { cookie: `tenantry_admin_at=${adminToken}` })).status,
  ).toBe(200);

  for (const headers of [
    { cookie: `tenantry_admin_at=${tenantToken}` },
    { authorization: `Bearer ${tenantToken}` },
  ] as Record<string, string>[]) {
    const r = await probe(stack.adminUrl, "tenants.list", headers);
    expect(r.status, JSON.stringify(headers).slice(0, 30)).toBe(401);
  }
  for (const headers of [
    { cookie: `tenantry_at=${adminToken}` },
    { authorization: `Bearer ${adminToken}` },
  ] as Record<string, string>[]) {
    const r = await probe(stack.webUrl, "auth.me", headers);
    expect(r.status, JSON.stringify(headers).slice(0, 30)).toBe(401);
  }
});
