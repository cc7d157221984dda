// Forgot password, as a member would: the link comes by email (read from the stack's mail
// catcher), opens the reset page, and the new password signs in while the old one no longer does.
import { expect, test, webLogin } from "@tenantry/e2e/fixtures";

const NEW_PASSWORD = "Brand-New-Lantern-47!";

test("a member who forgot their password resets it from the emailed link and signs in", async ({
  page,
  stack,
  tenant,
  user,
  mail,
}) => {
  await page.goto(`${stack.webUrl}/login`);
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("reset-requested")).toContainText("If an account uses that email");

  const message = await mail.waitForMessage(user.email);
  expect(message.subject).toBe(`Reset your ${tenant.name} password`);
  const url = /(http\S+\/reset-password#token=\S+)/.exec(message.text)?.[1];
  if (!url) throw new Error(`no reset link in:\n${message.text}`);

  await page.goto(url);
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/at least 12 characters long/)).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Repeat new password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password is changed");

  // The old password is refused; the new one signs in.
  await webLogin(page, stack, user.email, user.password);
  await expect(page.getByTestId("login-error")).toContainText("Email or password is incorrect");
  await webLogin(page, stack, user.email, NEW_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  // The link worked once.
  await page.context().clearCookies();
  await page.goto(url);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Repeat new password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/link has already been used/)).toBeVisible();
});
