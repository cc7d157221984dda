// Sessions on the profile page: the same member signed in on two browsers ends the other one
// from the first; the second is signed out on its next navigation, the first stays signed in.
import { expect, test, webLogin } from "@tenantry/e2e/fixtures";

test("a member ends their other session from the profile page", async ({
  page,
  browser,
  stack,
  user,
}) => {
  const other = await browser.newContext();
  try {
    const second = await other.newPage();
    await webLogin(second, stack, user.email, user.password);
    await second.waitForURL((u) => !u.pathname.startsWith("/login"));

    await webLogin(page, stack, user.email, user.password);
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(`${stack.webUrl}/profile`);
    const rows = page.getByTestId("session-row");
    await expect(rows).toHaveCount(2);
    const current = rows.filter({ hasText: "This device" });
    await expect(current).toHaveCount(1);
    await expect(current).toContainText("Chrome on Linux");
    await rows.filter({ hasNotText: "This device" }).getByRole("button", { name: "End" }).click();
    await expect(rows).toHaveCount(1);

    await second.goto(`${stack.webUrl}/profile`);
    await second.waitForURL(/\/login/);

    await page.reload();
    await expect(page.getByTestId("session-row")).toHaveCount(1);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  } finally {
    await other.close();
  }
});
