// Leaving an organisation and handing it over: the owner transfers ownership to a member from the
// members page (and becomes an admin); a member leaves from the profile page and lands on sign-in.
import { expect, test, webLogin } from "@tenantry/e2e/fixtures";

test("the owner transfers ownership to a member and becomes an admin", async ({
  page,
  stack,
  tenant,
  user,
}) => {
  await webLogin(page, stack, tenant.owner.email);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${stack.webUrl}/members`);
  await page.getByRole("button", { name: `Transfer ownership to ${user.email}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Transfer ownership to ${user.name}?`);
  await expect(dialog).toContainText("you become an admin");
  await dialog.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(page.getByText(`${user.name} now owns this organisation`)).toBeVisible();

  const rows = page.getByTestId("member-row");
  await expect(page.getByLabel(`Role of ${user.email}`)).toHaveValue("owner");
  await expect(page.getByLabel(`Role of ${tenant.owner.email}`)).toHaveValue("admin");
  // An admin may not hand over ownership again.
  await expect(rows.getByRole("button", { name: /Transfer ownership/ })).toHaveCount(0);
});

test("a member leaves the organisation and lands on sign-in", async ({ page, stack, user }) => {
  await webLogin(page, stack, user.email);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${stack.webUrl}/profile`);
  await page.getByRole("button", { name: "Leave organisation" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Leave organisation" }).click();
  await page.waitForURL(/\/login\?left=1/);
  await expect(page.getByRole("status")).toContainText("You have left the organisation");

  // The account is gone: signing in again is refused.
  await webLogin(page, stack, user.email);
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("the last owner is told to transfer ownership first", async ({ page, stack, tenant }) => {
  await webLogin(page, stack, tenant.owner.email);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${stack.webUrl}/profile`);
  await page.getByRole("button", { name: "Leave organisation" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Leave organisation" }).click();
  // The toast, not the section's own hint (which also says "transfer ownership first").
  await expect(page.getByText("The last owner cannot leave the organisation")).toBeVisible();
  await expect(page).toHaveURL(/\/profile/);
});
