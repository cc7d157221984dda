// Usage metering end to end: the owner's calls through the web app are counted, flushed and shown
// on Settings > Usage and on the admin tenant page as charts with data; both download the CSV.
// A member is shown why the page is not theirs.
import { readFile } from "node:fs/promises";
import type { Download, Page } from "@playwright/test";
import { adminLogin, expect, test, webApi, webLogin } from "@tenantry/e2e/fixtures";

const today = () => new Date().toISOString().slice(0, 10);

/** Reloads until the counted calls have been flushed (every second in the e2e stack). */
async function expectCallsShown(page: Page) {
  const total = page.getByTestId("usage-calls-total").locator(".value");
  await expect(async () => {
    await page.reload();
    await expect(total).toHaveText(/^[1-9]\d*$/, { timeout: 10_000 });
  }).toPass({ timeout: 45_000 });
  await expect(
    page.getByTestId("usage-calls-chart").locator('polyline[data-series="API calls"]'),
  ).toBeVisible();
  await expect(page.getByTestId("usage-seats").locator(".value")).toHaveText(/^\d+$/);
}

async function csvOf(page: Page, slug: string): Promise<string[]> {
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const download: Download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    new RegExp(`^usage-${slug}-[\\d-]+-to-${today()}\\.csv$`),
  );
  const file = await download.path();
  return (await readFile(file, "utf8")).trimEnd().split("\n");
}

test("owner and super admin see the usage charts with data and download the CSV", async ({
  page,
  browser,
  stack,
  tenant,
  user,
}) => {
  // Two apps, two sign-ins, two downloads on a shared 2-core machine.
  test.setTimeout(150_000);
  const owner = await webApi(stack, tenant.owner);
  for (let i = 0; i < 5; i++) await owner.notes.list.query({ limit: 1 });
  await owner.notes.create.mutate({ title: "metered", body: "", tags: [] });

  await webLogin(page, stack, tenant.owner.email);
  await page.getByRole("link", { name: "Usage", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Usage", exact: true })).toBeVisible();
  await expectCallsShown(page);
  const ownCsv = await csvOf(page, tenant.slug);
  expect(ownCsv[0]).toBe("day,apiCalls,seats,storageBytes,documents.notes");
  expect(ownCsv).toHaveLength(31);
  const [day, calls] = (ownCsv.at(-1) ?? "").split(",");
  expect(day).toBe(today());
  expect(Number(calls)).toBeGreaterThanOrEqual(6);

  // A member reads why the page is not theirs (the api refuses them with 403 too).
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await webLogin(memberPage, stack, user.email, user.password);
  await expect(memberPage.getByTestId("current-user")).toBeVisible();
  await memberPage.goto(`${stack.webUrl}/settings/usage`);
  await expect(
    memberPage.getByText("Only owners and admins see the organisation's usage"),
  ).toBeVisible();
  await memberContext.close();

  await adminLogin(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/${tenant.id}`);
  const card = page.getByRole("region", { name: "Usage, last 30 days" });
  await expect(card).toBeVisible();
  await expectCallsShown(page);
  const adminCsv = await csvOf(page, tenant.slug);
  expect(adminCsv[0]).toBe("day,apiCalls,seats,storageBytes,documents.notes");
  expect(adminCsv).toHaveLength(31);
  expect(Number((adminCsv.at(-1) ?? "").split(",")[1])).toBeGreaterThanOrEqual(Number(calls));
});
