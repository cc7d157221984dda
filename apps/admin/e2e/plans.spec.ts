// A super admin changes a tenant's plan and one limit override on the tenant page; the change is
// in force (the admin API reads it back) and audited.
import { adminLogin, expect, shot, test } from "@tenantry/e2e/fixtures";

test("changes a tenant's plan and a seats override on the tenant page", async ({
  page,
  stack,
  admin,
  tenants,
}) => {
  const { id } = await tenants.create({ slug: "upgrade" });
  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/${id}`);
  const card = page.getByRole("form", { name: "Plan and limits" });
  await expect(card.getByLabel("Plan", { exact: true })).toHaveValue("free");
  await expect(card.getByLabel("Limit: seats")).toHaveAttribute("placeholder", "10");

  await card.getByLabel("Plan", { exact: true }).selectOption("pro");
  // The placeholder follows the chosen plan: blank means "the plan's value".
  await expect(card.getByLabel("Limit: seats")).toHaveAttribute("placeholder", "100");
  await card.getByLabel("Limit: seats").fill("lots");
  await card.getByRole("button", { name: "Save plan" }).click();
  await expect(card.getByText("A whole number, or blank")).toBeVisible();
  await card.getByLabel("Limit: seats").fill("3");
  await card.getByRole("button", { name: "Save plan" }).click();
  await expect(page.getByText("Plan changed to Pro.")).toBeVisible();
  await expect(card.getByText("In force now: 3", { exact: true })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: /^pro$/ })).toBeVisible();
  await shot(page, "admin-tenant-plan");

  const saved = await admin.tenants.get.query({ id });
  expect(saved.plan).toBe("pro");
  expect(saved.planLimits.find((l) => l.name === "seats")).toEqual({
    name: "seats",
    override: 3,
    max: 3,
  });
  const audit = await admin.audit.list.query({ action: "tenant.plan.changed", tenantId: id });
  expect(audit.items[0]?.details).toEqual({
    before: { plan: "free", limits: {} },
    after: { plan: "pro", limits: { seats: 3 } },
  });

  // Clearing the field removes the override: back to the plan's 100 seats.
  await card.getByLabel("Limit: seats").fill("");
  await card.getByRole("button", { name: "Save plan" }).click();
  await expect(card.getByText("In force now: 100", { exact: true })).toBeVisible();
  expect(
    (await admin.tenants.get.query({ id })).planLimits.find((l) => l.name === "seats"),
  ).toEqual({ name: "seats", override: null, max: 100 });
});
