// The super-admin dashboard on its own: tables, forms, destructive actions behind typed
// confirmation, export, clusters, live system figures and the audit log.
// Each test arranges its own tenants through the fixtures, so the tests run in any order and in
// parallel; tables are read through a search for this test's own tenants.
import { readFileSync } from "node:fs";
import {
  PASSWORD,
  adminLogin as adminLoginTo,
  expect,
  expectNoHorizontalScroll,
  shot,
  test,
  unique,
} from "@tenantry/e2e/fixtures";

test("login errors are shown, signed-out visitors are sent to login", async ({ page, stack }) => {
  await page.goto(`${stack.adminUrl}/system`);
  await page.waitForURL(/\/login\?next=%2Fsystem/);
  await page.getByLabel("Email", { exact: true }).fill(stack.adminEmail);
  await page.getByLabel("Password", { exact: true }).fill("wrong-Password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
  await shot(page, "admin-login-error");
  await page.getByLabel("Password", { exact: true }).fill(stack.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/system$/);
});

test("tenants table: search, status filter, sort and pagination", async ({
  page,
  stack,
  admin,
  tenants,
}) => {
  // 23 tenants of this test's own (more than one page of 20), one of them suspended: arranging
  // them takes a good part of a normal test's budget on a loaded machine.
  test.slow();
  const org = unique("org");
  for (let i = 0; i < 23; i++) {
    const t = await tenants.create({ slug: `${org}-${String(i).padStart(2, "0")}` });
    if (i === 5) await admin.tenants.suspend.mutate({ id: t.id, reason: "Trial expired" });
  }
  await adminLoginTo(page, stack);
  await page.getByLabel("Search", { exact: true }).fill(org);
  // The search is applied as you type (debounced into the URL); page once it has landed, or the
  // late search write starts the list again at page 1.
  await expect(page).toHaveURL(new RegExp(`search=${org}`));
  const rows = page.getByTestId("tenant-row");
  await expect(rows).toHaveCount(20);
  await expect(page.getByText("23 tenants · page 1 of 2")).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(rows).toHaveCount(3);
  await expect(page).toHaveURL(/page=2/);
  await page.getByRole("button", { name: "Previous" }).click();
  await expect(rows).toHaveCount(20);

  await page.getByRole("button", { name: /^Slug/ }).click(); // ascending by slug
  await expect(rows.first()).toContainText(`${org}-00`);
  await page.getByRole("button", { name: /^Slug/ }).click(); // descending
  await expect(rows.first()).toContainText(`${org}-22`);

  await page.getByLabel("Search", { exact: true }).fill(`${org}-1`);
  await expect(rows).toHaveCount(10);
  await page.getByLabel("Search", { exact: true }).fill(org);
  await page.getByLabel("Status", { exact: true }).selectOption("suspended");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${org}-05`);
  await page.getByLabel("Search", { exact: true }).fill("no-such-tenant");
  await expect(page.getByText("No tenants match")).toBeVisible();
  await page.getByLabel("Search", { exact: true }).fill("");
  await page.getByLabel("Status", { exact: true }).selectOption("");
  await expect(rows).toHaveCount(20);
  await shot(page, "admin-tenants-page");

  // Migrating every tenant reports when it is done.
  await page.getByRole("button", { name: "Migrate all tenants" }).click();
  await expect(page.getByTestId("migrate-all-result")).toHaveText(
    /Migrations finished: every tenant is already at schema version \d+\./,
    { timeout: 30_000 },
  );
});

test("create-tenant form shows server errors next to the field", async ({
  page,
  stack,
  tenant,
}) => {
  await adminLoginTo(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/new`);
  await page.getByLabel("Name", { exact: true }).fill("Duplicate");
  await page.getByLabel("Slug", { exact: true }).fill(tenant.slug);
  await page.getByLabel("Owner email", { exact: true }).fill("dup@orgs.test");
  await page.getByLabel("Owner name", { exact: true }).fill("Dup");
  await page.getByLabel("Owner password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByLabel("Slug", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(
    page.locator(
      "#" + (await page.getByLabel("Slug", { exact: true }).getAttribute("id")) + "-error",
    ),
  ).toBeVisible();
  await page.getByLabel("Owner password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await shot(page, "admin-create-tenant-errors");
});

test("tenant detail: migrate, export, delete, restore and purge behind typed confirmation", async ({
  page,
  stack,
  tenants,
}) => {
  const { id, slug } = await tenants.create({ slug: "doomed", owner: { name: "Dora" } });
  await adminLoginTo(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/${id}`);
  await expect(page.getByRole("heading", { name: "Doomed" })).toBeVisible();

  await page.getByRole("button", { name: "Run migrations" }).click();
  await expect(page.getByText(/Migrations done/)).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export archive" }).click();
  const file = await download;
  const bytes = readFileSync(await file.path());
  expect(bytes.length).toBeGreaterThan(20);
  expect(file.suggestedFilename()).toContain("doomed");

  await page.getByRole("button", { name: "Delete…" }).click();
  const del = page.getByRole("dialog", { name: "Delete tenant?" });
  const confirmDelete = del.getByRole("button", { name: "Delete tenant" });
  await expect(confirmDelete).toBeDisabled();
  await del.getByLabel(/Type .* to confirm/).fill(slug.slice(0, -1));
  await expect(confirmDelete).toBeDisabled();
  await del.getByLabel(/Type .* to confirm/).fill(slug);
  await confirmDelete.click();
  await expect(page.getByText("deleted", { exact: true }).first()).toBeVisible();

  await page.getByRole("button", { name: "Restore" }).click();
  const restore = page.getByRole("dialog", { name: "Restore tenant?" });
  await restore.getByLabel(/Type .* to confirm/).fill(slug);
  await restore.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByText("active", { exact: true }).first()).toBeVisible();

  await page.getByRole("button", { name: "Delete…" }).click();
  await del.getByLabel(/Type .* to confirm/).fill(slug);
  await confirmDelete.click();
  await page.getByRole("button", { name: "Purge…" }).click();
  const purge = page.getByRole("dialog", { name: "Purge tenant permanently?" });
  await expect(purge.getByRole("button", { name: "Purge forever" })).toBeDisabled();
  await purge.getByLabel(/Type .* to confirm/).fill(slug);
  await purge.getByRole("button", { name: "Purge forever" }).click();
  await expect(page.getByText("purged", { exact: true }).first()).toBeVisible();
  await shot(page, "admin-tenant-purged");
});

test("clusters page lists the default cluster and validates the add form", async ({
  page,
  stack,
}) => {
  await adminLoginTo(page, stack);
  await page.getByRole("navigation").getByRole("link", { name: "Clusters", exact: true }).click();
  await expect(page.getByTestId("clusters-table")).toContainText("default");
  await expect(page.getByTestId("clusters-table")).toContainText("healthy");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page.getByText("Must start with mongodb://")).toBeVisible();
  await shot(page, "admin-clusters");
});

test("system page shows live pool figures, a chart over time and the API fleet", async ({
  page,
  stack,
  admin,
  tenant,
}) => {
  await adminLoginTo(page, stack);
  await page.getByRole("navigation").getByRole("link", { name: "System", exact: true }).click();
  await expect(page.getByTestId("pool-stats")).toBeVisible();
  // Traffic while we watch: opening tenants leases their handles.
  const list = await admin.tenants.list.query({ search: tenant.slug, page: 1, limit: 5 });
  for (const t of list.items) await admin.tenants.get.query({ id: t.id });
  await expect(page.getByTestId("pool-chart")).toBeVisible({ timeout: 15_000 });
  await expect(page.locator("[data-testid=pool-chart] polyline")).toHaveCount(3);
  // Labelled axes, a tooltip under the pointer, and the figures as a table for screen readers.
  const chart = page.getByTestId("pool-chart");
  await expect(chart.locator("svg").getByText("now", { exact: true })).toBeVisible();
  await chart.locator(".recharts-surface").hover();
  await expect(chart.locator(".recharts-tooltip-wrapper")).toContainText("hits");
  const table = page.getByRole("table", { name: /Connection cache hits/ });
  await expect(table.getByRole("columnheader", { name: "evictions" })).toBeAttached();
  await expect(table.getByRole("row").last()).toContainText("now");
  const hits = Number(await page.getByTestId("stat-hits").locator(".value").textContent());
  expect(hits).toBeGreaterThanOrEqual(0);
  // The fleet: every API instance as it reports itself, the one answering marked, its uptime
  // counted from its own start (the same figure system.info gives for this process).
  const fleet = page.getByTestId("fleet-table");
  const self = fleet.locator("[data-testid=fleet-row][data-self=true]");
  await expect(self).toHaveCount(1);
  await expect(self).toContainText("answering");
  await expect(self).not.toContainText("stale");
  const info = await admin.system.info.query();
  await expect(self).toHaveAttribute("data-instance", info.instanceId);
  await expect(self).toContainText(`${info.hostname} / ${info.pid}`);
  await expect(self.getByTestId("fleet-uptime")).toHaveText(/^\d+(\.\d)? (s|min|h|d)$/);
  const uptime = Number(await self.getAttribute("data-uptime"));
  const expected = (Date.now() - info.startedAt.getTime()) / 1000;
  expect(uptime).toBeGreaterThanOrEqual(0);
  expect(Math.abs(uptime - expected)).toBeLessThanOrEqual(10);
  await shot(page, "admin-system");
});

test("audit log lists admin actions and filters them", async ({ page, stack, admin, tenant }) => {
  await admin.tenants.suspend.mutate({ id: tenant.id, reason: "Trial expired" });
  await adminLoginTo(page, stack);
  await page.getByRole("navigation").getByRole("link", { name: "Audit log", exact: true }).click();
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  // Narrowed to this test's tenant: other tests suspend tenants of their own.
  await page.getByLabel("Organisation", { exact: true }).fill(tenant.id);
  await page.getByLabel("Action", { exact: true }).selectOption("tenant.suspended");
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await expect(page.getByTestId("audit-table")).toContainText("Trial expired");
  // An organisation nobody has: no entries, not an error.
  await page.getByLabel("Action", { exact: true }).selectOption("");
  await page.getByLabel("Organisation", { exact: true }).fill("no-such-organisation");
  await expect(page.getByText("No entries match")).toBeVisible();
  await page.getByLabel("Organisation", { exact: true }).fill("");
  await page.getByLabel("Actor", { exact: true }).fill("nobody@nowhere.test");
  await expect(page.getByText("No entries match")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  await shot(page, "admin-audit");
});

test("admins page adds a super admin and disables them, ending their session", async ({
  page,
  browser,
  stack,
}) => {
  const email = `${unique("ops")}@tenantry.test`;
  await adminLoginTo(page, stack);
  await page.getByRole("navigation").getByRole("link", { name: "Admins", exact: true }).click();
  const form = page.getByRole("form", { name: "Add super admin" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Name", { exact: true }).fill("Ops");
  await form.getByLabel("Initial password", { exact: true }).fill("short");
  await form.getByRole("button", { name: "Add admin" }).click();
  await expect(form.getByText(/at least/)).toBeVisible();
  await form.getByLabel("Initial password", { exact: true }).fill(PASSWORD);
  await form.getByRole("button", { name: "Add admin" }).click();
  const row = page.getByTestId("admins-table").getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("active");

  // The new admin signs in elsewhere; disabling them sends their next page to the login.
  const other = await browser.newContext();
  const theirs = await other.newPage();
  await adminLoginTo(theirs, { ...stack, adminEmail: email, adminPassword: PASSWORD });
  await page.getByRole("button", { name: `Disable ${email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");
  await shot(page, "admin-admins");
  // Their open page may already be on its way out (its next call is refused and it goes to the
  // session refresh, which fails): either way they end on the sign-in page.
  await theirs.goto(`${stack.adminUrl}/system`).catch(() => undefined);
  await theirs.waitForURL(/\/login/);
  await other.close();
});

test("admin pages work at 390 px wide", async ({ page, stack }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await adminLoginTo(page, stack);
  await expectNoHorizontalScroll(page);
  await shot(page, "admin-tenants-390");
  await page.goto(`${stack.adminUrl}/system`);
  await expect(page.getByTestId("pool-stats")).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, "admin-system-390");
});
