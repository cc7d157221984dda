// What a super admin sees in the places a walk-through of the dashboard found wrong: the suspended
// banner's punctuation, the favicon, purged tenants' slugs and dark mode. Each test provisions its
// own tenants, so the file runs in any order with the others.
import { expect, test } from "@playwright/test";
import { BACKGROUND, bodyBackground } from "../../web/e2e/appearance";
import { adminClient, adminLogin, createTenant, stack } from "../../web/e2e/fixtures";

test("the suspended banner ends every reason with one full stop", async ({ page }) => {
  const admin = await adminClient();
  const dotted = await createTenant(admin, "dotted", { email: "o@dotted.test", name: "Dot Owner" });
  const bare = await createTenant(admin, "bare", { email: "o@bare.test", name: "Bare Owner" });
  await admin.mutate("tenants.suspend", { id: dotted.id, reason: "Invoice #4411 is unpaid." });
  await admin.mutate("tenants.suspend", { id: bare.id, reason: "Trial expired" });
  await admin.dispose();

  await adminLogin(page);
  await page.goto(`${stack().adminUrl}/tenants/${dotted.id}`);
  await expect(page.getByTestId("suspended-alert")).toHaveText(
    "Suspended: Invoice #4411 is unpaid. Its users cannot sign in or use the app.",
  );
  await page.goto(`${stack().adminUrl}/tenants/${bare.id}`);
  await expect(page.getByTestId("suspended-alert")).toHaveText(
    "Suspended: Trial expired. Its users cannot sign in or use the app.",
  );
});

test("the dashboard has a favicon and no page asks for a missing one", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (res) => {
    if (res.status() === 404) missing.push(res.url());
  });
  await page.goto(`${stack().adminUrl}/login`);
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/favicon\.ico/);
  const icon = await page.request.get(new URL(href ?? "", stack().adminUrl).toString());
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image/);
  await adminLogin(page);
  await expect(page.getByTestId("tenants-table")).toBeVisible();
  await page.getByRole("link", { name: "System" }).first().click();
  await page.waitForURL(/\/system/);
  expect(missing).toEqual([]);
});

test("a purged tenant shows as purged with its old slug, never the tombstone", async ({ page }) => {
  const admin = await adminClient();
  const gone = await createTenant(admin, "vandelay", { email: "o@vandelay.test", name: "Art V" });
  await admin.mutate("tenants.delete", { id: gone.id });
  await admin.mutate("tenants.purge", { id: gone.id, confirmSlug: "vandelay" });
  await admin.dispose();

  await adminLogin(page);
  await page.goto(`${stack().adminUrl}/tenants?search=vandelay`);
  const row = page.getByTestId("tenant-row").filter({ hasText: "Vandelay" });
  await expect(row).toContainText("vandelay");
  await expect(row).toContainText("purged");
  await expect(page.getByTestId("tenants-table")).not.toContainText("~purged~");
  await row.getByRole("link", { name: "Vandelay" }).click();
  await expect(page.getByRole("heading", { name: "Vandelay" })).toBeVisible();
  await expect(page.locator(".page-head")).toContainText("vandelay");
  await expect(page.locator(".page-head")).not.toContainText("~purged~");
});

test("dark mode follows the system preference", async ({ browser }) => {
  const url = `${stack().adminUrl}/login`;
  expect(await bodyBackground(browser, url, "light")).toBe(BACKGROUND.light);
  expect(await bodyBackground(browser, url, "dark")).toBe(BACKGROUND.dark);
});

test("the audit log reads without JSON", async ({ page }) => {
  const admin = await adminClient();
  const t = await createTenant(admin, "gringotts", { email: "o@gringotts.test", name: "Griphook" });
  await admin.mutate("tenants.suspend", { id: t.id, reason: "Vault audit" });
  await admin.dispose();
  await adminLogin(page);
  await page.goto(`${stack().adminUrl}/audit`);
  await page.getByLabel("Tenant ID", { exact: true }).fill(t.id);
  const rows = page.getByTestId("audit-row");
  // The filter applies once typing pauses: wait for the list to narrow to this tenant.
  const suspended = rows.filter({ hasText: "tenants.suspend" });
  await expect(suspended).toHaveCount(1);
  await expect(suspended).toContainText("reason: Vault audit");
  await expect(page.getByTestId("audit-table")).not.toContainText("{");
});
