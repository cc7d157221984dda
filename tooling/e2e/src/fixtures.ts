// Playwright fixtures for both apps' e2e suites: `test` gives each test the running stack, a
// signed-in admin API, and tenants and users of its own (unique names, deleted and purged after
// the test), so no test depends on another's data or on the order files run in.
// Test data is arranged through the apps' real tRPC endpoints with clients typed by the routers.
import { randomBytes } from "node:crypto";

import { test as base, expect } from "@playwright/test";
import type { Page } from "@playwright/test";
import type { AdminRouter, AppRouter } from "@tenantry/api";
import { createTestClient, mailInbox } from "@tenantry/test-kit";
import type { MailInbox } from "@tenantry/test-kit";

import { stackFromEnv } from "./env";
import type { StackInfo } from "./stack";

export { expect };
/** What an authenticator app shows for a manual key (two-factor sign-in). */
export { totpCode } from "@tenantry/test-kit";

export const PASSWORD = "Corr3ct-Horse-Battery";

export interface Person {
  email: string;
  name: string;
  password: string;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  owner: Person;
}

export interface TenantOptions {
  /** The slug's first part; a random suffix keeps it unique. */
  slug?: string;
  name?: string;
  owner?: Partial<Person>;
}

/** A cookie-keeping client for one app's /api/trpc endpoint, like a browser tab would be. */
function appApi(url: string) {
  return createTestClient<AppRouter>({
    url: `${url}/api/trpc`,
    headers: { "x-tenantry-csrf": "1" },
    cookies: true,
  });
}
export type AppApi = ReturnType<typeof appApi>;
export type AdminApi = ReturnType<typeof createTestClient<AdminRouter>>;

/** The web app's API signed in as `person` (in `tenantSlug` when the email is in several tenants). */
export async function webApi(stack: StackInfo, person: Person, tenantSlug?: string) {
  const api = appApi(stack.webUrl);
  await api.auth.login.mutate({
    email: person.email,
    password: person.password,
    ...(tenantSlug ? { tenantSlug } : {}),
  });
  return api;
}

/** A name no other test (or worker) uses: `prefix` plus random hex. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface Fixtures {
  /** The stack global setup started (both apps' addresses, the admin's credentials). */
  stack: StackInfo;
  /** The admin app's API, signed in as the super admin. */
  admin: AdminApi;
  /** Creates tenants for this test; each is deleted and purged afterwards. */
  tenants: {
    create(opts?: TenantOptions): Promise<Tenant>;
    /** Cleans up a tenant created some other way (e.g. through the UI) after the test. */
    track(tenant: Pick<Tenant, "id" | "slug">): void;
  };
  /** A fresh tenant with its owner (who can sign in with PASSWORD). */
  tenant: Tenant;
  /** A member of `tenant` with a password, able to sign in. */
  user: Person;
  /** The stack's mail catcher: what the apps sent over SMTP. */
  mail: MailInbox;
}

export const test = base.extend<Fixtures, { stackInfo: StackInfo }>({
  stackInfo: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from it
    async ({}, use) => {
      const raw = stackFromEnv();
      if (!raw) throw new Error("E2E_STACK missing: run through playwright with the global setup");
      await use(JSON.parse(raw) as StackInfo);
    },
    { scope: "worker" },
  ],
  stack: async ({ stackInfo }, use) => use(stackInfo),
  mail: async ({ stack }, use) => use(mailInbox(stack.mailUrl)),
  admin: async ({ stack }, use) => {
    const api = createTestClient<AdminRouter>({
      url: `${stack.adminUrl}/api/trpc`,
      headers: { "x-tenantry-csrf": "1" },
      cookies: true,
    });
    await api.auth.login.mutate({ email: stack.adminEmail, password: stack.adminPassword });
    await use(api);
  },
  tenants: async ({ admin }, use) => {
    const created: Pick<Tenant, "id" | "slug">[] = [];
    await use({
      async create(opts = {}) {
        const slug = unique(opts.slug ?? "t");
        const owner: Person = {
          email: opts.owner?.email ?? `owner@${slug}.test`,
          name: opts.owner?.name ?? `Owner of ${slug}`,
          password: opts.owner?.password ?? PASSWORD,
        };
        const name = opts.name ?? capitalised(opts.slug ?? slug);
        const { id } = await admin.tenants.create.mutate({ slug, name, owner });
        created.push({ id, slug });
        return { id, slug, name, owner };
      },
      track: (t) => void created.push(t),
    });
    // Deleting first is what purging requires; a tenant the test already purged is gone.
    for (const t of created) {
      await admin.tenants.delete.mutate({ id: t.id }).catch(() => undefined);
      await admin.tenants.purge.mutate({ id: t.id, confirmSlug: t.slug }).catch(() => undefined);
    }
  },
  tenant: async ({ tenants }, use) => use(await tenants.create()),
  user: async ({ stack, tenant }, use) => {
    const owner = await webApi(stack, tenant.owner);
    const user: Person = {
      email: `member@${tenant.slug}.test`,
      name: "Mark Member",
      password: PASSWORD,
    };
    await owner.members.create.mutate({ ...user, role: "member" });
    await use(user);
  },
});

export async function webLogin(page: Page, stack: StackInfo, email: string, password = PASSWORD) {
  await page.goto(`${stack.webUrl}/login`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function adminLogin(page: Page, stack: StackInfo) {
  await page.goto(`${stack.adminUrl}/login`);
  await page.getByLabel("Email", { exact: true }).fill(stack.adminEmail);
  await page.getByLabel("Password", { exact: true }).fill(stack.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/tenants/);
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

/** Nothing sticks out sideways: what a user at 390 px would notice first. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  if (overflow > 1)
    throw new Error(`page scrolls sideways by ${overflow}px at ${page.viewportSize()?.width}px`);
}
