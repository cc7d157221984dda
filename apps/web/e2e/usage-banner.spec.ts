// The owners' warning: from 80% of a plan limit the owner sees a banner on every page; a member
// does not. Over the storage limit the banner says the organisation is read-only.
import { expect, test, webApi, webLogin } from "@tenantry/e2e/fixtures";

test("owners see a usage banner from 80% of a limit; members do not", async ({
  page,
  browser,
  stack,
  admin,
  tenant,
  user,
}) => {
  await admin.tenants.setPlan.mutate({ id: tenant.id, plan: "free", limits: { notes: 5 } });
  const owner = await webApi(stack, tenant.owner);
  for (let i = 0; i < 3; i++)
    await owner.notes.create.mutate({ title: `Note ${i}`, body: "", tags: [] });

  // 3 of 5 notes (60%): no banner.
  await webLogin(page, stack, tenant.owner.email);
  await expect(page.getByTestId("current-user")).toBeVisible();
  await expect(page.getByTestId("usage-banner")).toHaveCount(0);

  // 4 of 5 (80%): the banner names the limit and the usage.
  await owner.notes.create.mutate({ title: "Note 3", body: "", tags: [] });
  await page.reload();
  const banner = page.getByTestId("usage-banner");
  await expect(banner).toContainText("Nearing your plan's limits");
  await expect(banner).toContainText("notes 4 of 5");

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await webLogin(memberPage, stack, user.email);
  await expect(memberPage.getByTestId("current-user")).toBeVisible();
  await expect(memberPage.getByTestId("usage-banner")).toHaveCount(0);
  await memberContext.close();

  // Over storage: read-only, and the owner is told so.
  await admin.tenants.setPlan.mutate({ id: tenant.id, plan: "free", limits: { storageBytes: 1 } });
  await page.reload();
  await expect(banner).toContainText("Read-only: over the storage limit.");
});
