// Super admins enrol before their first privileged action: with the production default
// (ADMIN_TWO_FACTOR=required) a new admin who signs in is held on the set-up page, whatever page
// they ask for, until their second factor is on; then the dashboard opens. The shared stack turns
// the requirement off for its one admin, so this runs a second admin app with it on.
import { expect, test, totpCode, unique } from "@tenantry/e2e/fixtures";
import { startAdminRequiringTwoFactor } from "@tenantry/e2e/stack";

test("a super admin without a second factor is held on set-up until they enrol", async ({
  page,
  stack,
  admin,
}) => {
  test.setTimeout(150_000);
  const ops = {
    email: `${unique("enrol")}@e2e.tenantry.test`,
    name: "Ops Must Enrol",
    password: "0ps-Admin-Passw0rd!-e2e",
  };
  await admin.admins.create.mutate(ops);
  const strict = await startAdminRequiringTwoFactor(
    stack,
    `test-results/admin-two-factor-required-${test.info().workerIndex}.log`,
  );
  try {
    await page.goto(`${strict.url}/login`);
    await page.getByLabel("Email", { exact: true }).fill(ops.email);
    await page.getByLabel("Password", { exact: true }).fill(ops.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/two-factor-setup/);
    await expect(page.getByRole("heading", { name: "Set up two-factor sign-in" })).toBeVisible();

    // Any privileged page sends them back (the api refuses the calls too: api two-factor tests).
    await page.goto(`${strict.url}/tenants`);
    await page.waitForURL(/\/two-factor-setup/);
    await page.goto(`${strict.url}/admins`);
    await page.waitForURL(/\/two-factor-setup/);

    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    await expect(page.getByAltText("QR code for your authenticator app")).toBeVisible();
    const key = (await page.getByTestId("two-factor-manual-key").textContent())?.trim() ?? "";
    await page.getByLabel("Authentication code").fill(totpCode(key));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
    await page.getByRole("button", { name: "I have saved these codes" }).click();
    await page.waitForURL(/\/tenants/);
    await expect(page.getByRole("link", { name: "My sessions" })).toBeVisible();
  } finally {
    await strict.stop();
  }
});
