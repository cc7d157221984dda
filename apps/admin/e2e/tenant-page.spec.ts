// An organisation's page in the admin app: who owns it and who belongs, renaming it, impersonating
// a member picked from its list, and finding its audit entries by slug or name.
import { adminLogin, expect, expectNoHorizontalScroll, shot, test } from "@tenantry/e2e/fixtures";

test("the tenant page shows the owner and members, renames, and impersonates a picked member", async ({
  page,
  context,
  stack,
  admin,
  tenant,
}) => {
  // This stack runs the admin app alone (no web app to add members through): the owner is the
  // organisation's one member, in the owners line, the members table and the picker.
  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/${tenant.id}`);
  await expect(page.getByRole("heading", { name: tenant.name, exact: true })).toBeVisible();
  await expect(page.getByTestId("tenant-owners")).toContainText(tenant.owner.name);
  await expect(page.getByTestId("tenant-owners")).toContainText(tenant.owner.email);
  const rows = page.getByTestId("member-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(tenant.owner.email);
  await expect(rows.first()).toContainText("owner");
  await expect(rows.first()).toContainText("active");
  await expect(page.getByTestId("tenant-members")).not.toContainText(/hash|argon/i);
  await shot(page, "admin-tenant-members");

  // Rename: a name too long is explained in the dialog; a good one lands everywhere.
  const newName = `${tenant.name} Renamed`;
  await page.getByRole("button", { name: "Rename…" }).click();
  const rename = page.getByRole("dialog", { name: "Rename organisation" });
  await rename.getByLabel("Name", { exact: true }).fill("   ");
  await rename.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(rename.getByText("Enter a name.")).toBeVisible();
  await rename.getByLabel("Name", { exact: true }).fill(newName);
  await rename.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(
    page.getByTestId("toast").filter({ hasText: `renamed to ${newName}` }),
  ).toBeVisible();
  await expect(rename).toBeHidden();
  await expect(page.getByRole("heading", { name: newName, exact: true })).toBeVisible();
  expect((await admin.tenants.get.query({ id: tenant.id })).name).toBe(newName);
  const renamed = await admin.audit.list.query({ action: "tenant.renamed", tenantId: tenant.id });
  expect(renamed.items.map((e) => e.details)).toEqual([{ from: tenant.name, to: newName }]);

  // Impersonation: the member is picked from the organisation's active members.
  await page.getByRole("button", { name: "Impersonate a user" }).click();
  const dialog = page.getByRole("dialog", { name: "Impersonate a user" });
  const picker = dialog.getByLabel("Member", { exact: true });
  await expect(picker.locator("option", { hasText: tenant.owner.email })).toHaveCount(1);
  await picker.selectOption(tenant.owner.email);
  await dialog.getByLabel("Reason", { exact: true }).fill("Support ticket 4712");
  const popup = context.waitForEvent("page");
  await dialog.getByRole("button", { name: "Open web app as this user" }).click();
  await expect(dialog.getByText("Opened in a new tab.")).toBeVisible();
  // This stack runs no web app: the hand-off tab is not the point here, the audited start is.
  await (await popup).close();
  const started = await admin.audit.list.query({
    action: "impersonate.start",
    tenantId: tenant.id,
  });
  expect(started.items[0]).toMatchObject({ target: tenant.owner.email });
});

test("the audit log filters by an organisation's slug or name", async ({
  page,
  stack,
  admin,
  tenants,
}) => {
  const t = await tenants.create({ slug: "ollivanders" });
  await admin.tenants.rename.mutate({ id: t.id, name: "Ollivanders Wand Shop" });
  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/audit`);
  const rows = page.getByTestId("audit-row");
  const filter = page.getByLabel("Organisation", { exact: true });
  await filter.fill(t.slug.toUpperCase());
  // The filter applies once typing pauses: wait for the list to narrow to this organisation.
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "tenant.provisioned" })).toHaveCount(1);
  const renamed = rows.filter({ hasText: "tenant.renamed" });
  await expect(renamed).toHaveCount(1);
  // Readable, not JSON: the old and the new name.
  await expect(renamed).toContainText("from: Ollivanders · to: Ollivanders Wand Shop");
  await expect(page.getByTestId("audit-table")).not.toContainText("{");
  await shot(page, "admin-audit-by-slug");

  await filter.fill(`${t.slug}-nope`);
  await expect(page.getByText("No entries match")).toBeVisible();
  // By the start of its name: this organisation's own name, unique to the test.
  await filter.fill("ollivanders wand");
  await expect(rows).not.toHaveCount(0);
  await expect(rows.filter({ hasText: t.slug })).toHaveCount(await rows.count());
  // An entry's organisation tag puts its slug in the filter.
  await rows
    .first()
    .getByRole("button", { name: `Filter by organisation ${t.slug}` })
    .click();
  await expect(filter).toHaveValue(t.slug);
  await expect(rows).toHaveCount(2);
});

test("the tenant page with its members works at 390 px wide", async ({ page, stack, tenant }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/${tenant.id}`);
  await expect(page.getByTestId("member-row")).toHaveCount(1);
  await expectNoHorizontalScroll(page);
  await shot(page, "admin-tenant-members-390");
});
