// Two-factor sign-in in the browser: a member sets it up from the profile (the manual key read
// off the page, the code computed as an authenticator app would), signs out, and signs in again
// through the code step. An organisation that requires it sends a member without one to set-up.
import { expect, test, totpCode, webLogin } from "@tenantry/e2e/fixtures";

test("a member turns on two-factor sign-in from the profile and signs in with a code", async ({
  page,
  stack,
  user,
}) => {
  await webLogin(page, stack, user.email, user.password);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${stack.webUrl}/profile`);
  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await section.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(section.getByAltText("QR code for your authenticator app")).toBeVisible();
  const key = (await section.getByTestId("two-factor-manual-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  await section.getByLabel("Authentication code").fill("000000");
  await section.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(section.getByText("That code is not right.")).toBeVisible();
  await section.getByLabel("Authentication code").fill(totpCode(key));
  await section.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(section.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await section.getByRole("button", { name: "I have saved these codes" }).click();
  await expect(section.getByTestId("two-factor-on")).toContainText("10 recovery codes left");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await webLogin(page, stack, user.email, user.password);
  const step = page.getByRole("form", { name: "Two-factor sign-in" });
  await step.getByLabel("Authentication code").fill(totpCode(key, 1));
  await step.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${stack.webUrl}/profile`);
  await expect(page.getByTestId("two-factor-on")).toBeVisible();
});

test("an organisation that requires two-factor sign-in holds a member on its set-up", async ({
  page,
  stack,
  tenant,
}) => {
  await webLogin(page, stack, tenant.owner.email, tenant.owner.password);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${stack.webUrl}/settings`);
  // click, not check(): the page has moved on to the set-up before a state could be read.
  await page.getByLabel("Require two-factor sign-in").click();
  // The owner has no second factor yet: from now on every page leads to the set-up.
  await page.waitForURL(/\/two-factor-setup/);
  await page.goto(`${stack.webUrl}/members`);
  await page.waitForURL(/\/two-factor-setup/);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const key = (await page.getByTestId("two-factor-manual-key").textContent())?.trim() ?? "";
  await page.getByLabel("Authentication code").fill(totpCode(key));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await page.getByRole("button", { name: "I have saved these codes" }).click();
  await page.goto(`${stack.webUrl}/members`);
  await expect(page).toHaveURL(/\/members/);
});
