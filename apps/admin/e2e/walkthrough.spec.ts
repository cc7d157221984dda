// What a super admin sees in the places a walk-through of the dashboard found wrong: the suspended
// banner's punctuation, the favicon, purged tenants' slugs and dark mode. Each test provisions its
// own tenants, so the file runs in any order with the others.
import { BACKGROUND, bodyBackground } from "@tenantry/e2e/appearance";
import { adminLogin, expect, test } from "@tenantry/e2e/fixtures";

test("the suspended banner ends every reason with one full stop", async ({
  page,
  stack,
  tenants,
  admin,
}) => {
  const dotted = await tenants.create({ slug: "dotted", owner: { name: "Dot Owner" } });
  const bare = await tenants.create({ slug: "bare", owner: { name: "Bare Owner" } });
  await admin.tenants.suspend.mutate({ id: dotted.id, reason: "Invoice #4411 is unpaid." });
  await admin.tenants.suspend.mutate({ id: bare.id, reason: "Trial expired" });

  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/${dotted.id}`);
  await expect(page.getByTestId("suspended-alert")).toHaveText(
    "Suspended: Invoice #4411 is unpaid. Its users cannot sign in or use the app.",
  );
  await page.goto(`${stack.adminUrl}/tenants/${bare.id}`);
  await expect(page.getByTestId("suspended-alert")).toHaveText(
    "Suspended: Trial expired. Its users cannot sign in or use the app.",
  );
});

test("the dashboard has a favicon and no page asks for a missing one", async ({ page, stack }) => {
  const missing: string[] = [];
  page.on("response", (res) => {
    if (res.status() === 404) missing.push(res.url());
  });
  await page.goto(`${stack.adminUrl}/login`);
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/favicon\.ico/);
  const icon = await page.request.get(new URL(href ?? "", stack.adminUrl).toString());
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image/);
  await adminLogin(page, stack);
  await expect(page.getByTestId("tenants-table")).toBeVisible();
  await page.getByRole("link", { name: "System" }).first().click();
  await page.waitForURL(/\/system/);
  expect(missing).toEqual([]);
});

test("a purged tenant shows as purged with its old slug, never the tombstone", async ({
  page,
  stack,
  tenants,
  admin,
}) => {
  const gone = await tenants.create({ slug: "vandelay", owner: { name: "Art V" } });
  await admin.tenants.delete.mutate({ id: gone.id });
  await admin.tenants.purge.mutate({ id: gone.id, confirmSlug: gone.slug });

  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/tenants?search=${gone.slug}`);
  // Purged tenants stay listed: the unique slug picks out this test's one.
  const row = page.getByTestId("tenant-row").filter({ hasText: gone.slug });
  await expect(row).toContainText("Vandelay");
  await expect(row).toContainText("purged");
  await expect(page.getByTestId("tenants-table")).not.toContainText("~purged~");
  await row.getByRole("link", { name: "Vandelay" }).click();
  await expect(page.getByRole("heading", { name: "Vandelay" })).toBeVisible();
  await expect(page.locator(".page-head")).toContainText(gone.slug);
  await expect(page.locator(".page-head")).not.toContainText("~purged~");
});

test("dark mode follows the system preference", async ({ browser, stack }) => {
  const url = `${stack.adminUrl}/login`;
  expect(await bodyBackground(browser, url, "light")).toBe(BACKGROUND.light);
  expect(await bodyBackground(browser, url, "dark")).toBe(BACKGROUND.dark);
});

test("the audit log reads without JSON", async ({ page, stack, tenants, admin }) => {
  const t = await tenants.create({ slug: "gringotts", owner: { name: "Griphook" } });
  await admin.tenants.suspend.mutate({ id: t.id, reason: "Vault audit" });
  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/audit`);
  await page.getByLabel("Organisation", { exact: true }).fill(t.id);
  const rows = page.getByTestId("audit-row");
  // The filter applies once typing pauses: wait for the list to narrow to this tenant.
  const suspended = rows.filter({ hasText: "tenant.suspended" });
  await expect(suspended).toHaveCount(1);
  await expect(suspended).toContainText("reason: Vault audit");
  await expect(page.getByTestId("audit-table")).not.toContainText("{");
});
