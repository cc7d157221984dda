// The super admin's own sessions page, linked from the shell: this device is listed and marked.
// (Nothing is ended here: other admin tests share the account and run in parallel.)
import { adminLogin, expect, test } from "@tenantry/e2e/fixtures";

test("the super admin sees their sessions, this device marked", async ({ page, stack }) => {
  await adminLogin(page, stack);
  await page.getByRole("link", { name: "My sessions" }).click();
  await page.waitForURL(/\/sessions$/);
  const current = page.getByTestId("session-row").filter({ hasText: "This device" });
  await expect(current).toHaveCount(1);
  await expect(current).toContainText("Chrome on Linux");
});
