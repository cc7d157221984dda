// A super admin's two-factor sign-in in the admin app: a new admin of their own (the stack's one
// admin is shared by every test) sets it up on My sessions, signs out, and signs in again through
// the code step.
import { expect, test, totpCode, unique } from "@tenantry/e2e/fixtures";

test("a super admin turns on two-factor sign-in and signs in with a code", async ({
  page,
  stack,
  admin,
}) => {
  const ops = {
    email: `${unique("ops")}@e2e.tenantry.test`,
    name: "Ops Two-Factor",
    password: "0ps-Admin-Passw0rd!-e2e",
  };
  await admin.admins.create.mutate(ops);
  const signIn = async () => {
    await page.goto(`${stack.adminUrl}/login`);
    await page.getByLabel("Email", { exact: true }).fill(ops.email);
    await page.getByLabel("Password", { exact: true }).fill(ops.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  await signIn();
  await page.waitForURL(/\/tenants/);
  await page.getByRole("link", { name: "My sessions" }).click();
  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await section.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(section.getByAltText("QR code for your authenticator app")).toBeVisible();
  const key = (await section.getByTestId("two-factor-manual-key").textContent())?.trim() ?? "";
  await section.getByLabel("Authentication code").fill(totpCode(key));
  await section.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(section.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await section.getByRole("button", { name: "I have saved these codes" }).click();
  await expect(section.getByTestId("two-factor-on")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await signIn();
  const step = page.getByRole("form", { name: "Two-factor sign-in" });
  await step.getByLabel("Authentication code").fill(totpCode(key, 1));
  await step.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(/\/tenants/);
});
