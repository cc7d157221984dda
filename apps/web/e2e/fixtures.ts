// Test helpers: the stack started by global setup, and a tiny tRPC-over-HTTP client used only to
// arrange data the scenario under test is not about (the scenarios themselves click through UIs).
import { request } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";
import type { StackInfo } from "./stack";

export function stack(): Required<StackInfo> {
  const raw = process.env.E2E_STACK;
  if (!raw) throw new Error("E2E_STACK missing: run through playwright with the global setup");
  return JSON.parse(raw) as Required<StackInfo>;
}

export const PASSWORD = "Corr3ct-Horse-Battery";

export interface TrpcClient {
  query<T = unknown>(path: string, input?: unknown): Promise<T>;
  mutate<T = unknown>(path: string, input?: unknown): Promise<T>;
  dispose(): Promise<void>;
}

async function unwrap<T>(
  path: string,
  res: Awaited<ReturnType<APIRequestContext["get"]>>,
): Promise<T> {
  const body = (await res.json()) as {
    result?: { data?: { json?: T } };
    error?: { json?: { message?: string } };
  };
  if (!res.ok() || !body.result)
    throw new Error(
      `${path}: ${res.status()} ${body.error?.json?.message ?? JSON.stringify(body)}`,
    );
  return body.result.data?.json as T;
}

/** A cookie-keeping client for one app's /api/trpc endpoint, like a browser tab would be. */
export async function trpcClient(baseURL: string): Promise<TrpcClient> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { "x-tenantry-csrf": "1" } });
  return {
    async query<T>(path: string, input?: unknown) {
      const qs =
        input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
      return unwrap<T>(path, await ctx.get(`/api/trpc/${path}${qs}`));
    },
    async mutate<T>(path: string, input?: unknown) {
      return unwrap<T>(
        path,
        await ctx.post(`/api/trpc/${path}`, { data: { json: input ?? null } }),
      );
    },
    dispose: () => ctx.dispose(),
  };
}

export async function adminClient(): Promise<TrpcClient> {
  const s = stack();
  const c = await trpcClient(s.adminUrl);
  await c.mutate("auth.login", { email: s.adminEmail, password: s.adminPassword });
  return c;
}

/** Provisions a tenant through the admin api; returns its id. */
export async function createTenant(
  admin: TrpcClient,
  slug: string,
  owner: { email: string; name: string },
): Promise<{ id: string }> {
  return admin.mutate<{ id: string }>("tenants.create", {
    slug,
    name: slug[0]?.toUpperCase() + slug.slice(1),
    owner: { ...owner, password: PASSWORD },
  });
}

export async function webLogin(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${stack().webUrl}/login`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function adminLogin(page: Page) {
  const s = stack();
  await page.goto(`${s.adminUrl}/login`);
  await page.getByLabel("Email", { exact: true }).fill(s.adminEmail);
  await page.getByLabel("Password", { exact: true }).fill(s.adminPassword);
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
