// What a tenant user sees in the places a walk-through of the app found wrong: the suspended page
// after a resume, /settings for a member, the favicon, the organisation's wording and the shell.
// Each test provisions its own organisation, so the file runs in any order with the others.
import type { Page } from "@playwright/test";
import { BACKGROUND, bodyBackground } from "@tenantry/e2e/appearance";
import {
  PASSWORD,
  expect,
  expectNoHorizontalScroll,
  test,
  webApi,
  webLogin,
} from "@tenantry/e2e/fixtures";
import type { Fixtures, Person } from "@tenantry/e2e/fixtures";

/** A tenant user never reads "tenant": it is "organisation" (the brand "Tenantry" aside). */
async function expectOrganisationWording(page: Page) {
  // innerText: what is rendered, not the scripts' payload.
  await expect(page.locator("body")).not.toHaveText(/\btenants?\b/i, { useInnerText: true });
}

/**
 * An organisation named after `slug` (its slug made unique) with an owner, Olive, and a member,
 * Max, who signs in with PASSWORD at once; `ownerApi` is the owner's signed-in web API.
 */
async function organisation({ stack, tenants }: Pick<Fixtures, "stack" | "tenants">, slug: string) {
  const tenant = await tenants.create({ slug, owner: { name: `Olive ${slug}` } });
  const member: Person = {
    email: `member@${tenant.slug}.test`,
    name: `Max ${slug}`,
    password: PASSWORD,
  };
  const ownerApi = await webApi(stack, tenant.owner);
  await ownerApi.members.create.mutate({ ...member, role: "member" });
  return { ...tenant, member, ownerApi };
}

test("the suspended page tells the user to sign in again once the organisation is resumed", async ({
  page,
  browser,
  stack,
  tenants,
  admin,
}) => {
  const org = await organisation({ stack, tenants }, "umbrella");
  await webLogin(page, stack, org.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome, Olive/ })).toBeVisible();

  await admin.tenants.suspend.mutate({ id: org.id, reason: "Invoice 77 is unpaid." });
  // The promise is "locked out within a second": for that second this web instance may still
  // serve the session it checked a moment ago, so go on clicking through the app until it is.
  const nav = page.getByRole("navigation");
  await expect(async () => {
    for (const name of ["Members", "Notes"]) {
      if (/\/suspended/.test(page.url())) return;
      await nav.getByRole("link", { name, exact: true }).click();
      await page.waitForURL(/\/suspended/, { timeout: 1_500 }).catch(() => undefined);
    }
    expect(page.url()).toMatch(/\/suspended/);
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("heading", { name: "This organisation is suspended" })).toBeVisible();
  await expect(page.getByTestId("suspension-reason")).toHaveText("Invoice 77 is unpaid.");
  await expectOrganisationWording(page);
  // While it lasts, "Check again" says the same.
  await page.getByRole("link", { name: "Check again" }).click();
  await expect(page.getByRole("heading", { name: "This organisation is suspended" })).toBeVisible();

  // Signing in while suspended lands on the page too, offering to sign in again.
  const other = await browser.newContext();
  const visitor = await other.newPage();
  await webLogin(visitor, stack, org.member.email);
  await visitor.waitForURL(/\/suspended/);
  await expect(visitor.getByTestId("suspension-reason")).toHaveText("Invoice 77 is unpaid.");
  await expect(visitor.getByRole("link", { name: "Sign in again" })).toBeVisible();

  await admin.tenants.resume.mutate({ id: org.id });

  // The session the suspension ended can no longer see a suspension: the page says so, once
  // the web app's instance has seen the resume (its registry poll, within about a second).
  await expect(async () => {
    await page.getByRole("link", { name: "Check again" }).click();
    await expect(page.getByRole("heading", { name: "Sign in again" })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText("This organisation is suspended")).toHaveCount(0);
  await page.getByRole("link", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/login/);
  await webLogin(page, stack, org.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome, Olive/ })).toBeVisible();

  // A fresh load by someone who is not signed in does not claim a suspension either.
  await visitor.goto(`${stack.webUrl}/suspended`);
  await expect(visitor.getByRole("heading", { name: "Sign in again" })).toBeVisible();
  await visitor.getByRole("link", { name: "Sign in", exact: true }).click();
  await webLogin(visitor, stack, org.member.email);
  await expect(visitor.getByRole("heading", { name: /Welcome, Max/ })).toBeVisible();
  await other.close();
});

test("a member opening /settings reads them; the display name shows in the shell", async ({
  page,
  browser,
  stack,
  tenants,
}) => {
  const org = await organisation({ stack, tenants }, "hooli");
  // The owner renames the organisation: the sidebar follows at once.
  await webLogin(page, stack, org.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByLabel("Week starts on")).toHaveCount(0);
  await page.getByLabel("Display name", { exact: true }).fill("Hooli Worldwide");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await expect(page.locator(".sidebar .brand")).toContainText("Hooli Worldwide");

  const ctx = await browser.newContext();
  const member = await ctx.newPage();
  await webLogin(member, stack, org.member.email);
  await expect(member.locator(".sidebar .brand")).toContainText("Hooli Worldwide");
  await member.goto(`${stack.webUrl}/settings`);
  const view = member.getByTestId("settings-read-only");
  await expect(view).toContainText("Hooli Worldwide");
  await expect(view).toContainText("Only owners and admins of Hooli can change these settings.");
  await expect(member.getByRole("textbox")).toHaveCount(0);
  await expect(member.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await expectOrganisationWording(member);
  await ctx.close();
});

test("every page has a favicon and none asks for a missing one", async ({
  page,
  stack,
  tenants,
}) => {
  const org = await tenants.create({ slug: "initrode" });
  const missing: string[] = [];
  page.on("response", (res) => {
    if (res.status() === 404) missing.push(res.url());
  });
  for (const base of [stack.webUrl, stack.adminUrl]) {
    await page.goto(`${base}/login`);
    const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(href).toMatch(/favicon\.ico/);
    const icon = await page.request.get(new URL(href ?? "", base).toString());
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toMatch(/image/);
  }
  await webLogin(page, stack, org.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(page.getByRole("button", { name: "New note" })).toBeVisible();
  expect(missing).toEqual([]);
});

test("the api's refusals and the sign-in page speak of the organisation", async ({
  page,
  stack,
  tenants,
  admin,
}) => {
  const org = await organisation({ stack, tenants }, "wayne");
  const elsewhere = await tenants.create({ slug: "umbrella" });
  // A member asking for an admin-only call: the message the app would show.
  const member = await webApi(stack, org.member);
  await expect(member.members.list.query()).rejects.toThrow(
    "Only owners and admins of this organisation can do this.",
  );
  await expect(
    member.auth.switchTenant.mutate({ tenantSlug: elsewhere.slug, password: PASSWORD }),
  ).rejects.toThrow(/not a member of that organisation/);

  // A deleted organisation, told in the app's words.
  await admin.tenants.delete.mutate({ id: org.id });
  await webLogin(page, stack, org.owner.email);
  await expect(page.getByTestId("login-error")).toHaveText(
    "This organisation has been deleted. Contact its owner or the platform support team.",
  );
  await expectOrganisationWording(page);

  // Too many failures: a wait in minutes, not raw seconds.
  for (let i = 0; i < 6; i++) {
    await webLogin(page, stack, `nobody@${org.slug}.test`, "Wrong-Password-123");
    await expect(page.getByTestId("login-error")).toBeVisible();
  }
  await expect(page.getByTestId("login-error")).toHaveText(
    /^Too many sign-in attempts\. Try again in \d+ minutes?\.$/,
  );
});

test("notes show their author; a member changes only their own", async ({
  page,
  browser,
  stack,
  tenants,
}) => {
  const org = await organisation({ stack, tenants }, "stark");
  await org.ownerApi.notes.create.mutate({ title: "Owner plan", body: "by the owner", tags: [] });

  const ctx = await browser.newContext();
  const member = await ctx.newPage();
  await webLogin(member, stack, org.member.email);
  await member.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  const owners = member.getByTestId("note").filter({ hasText: "Owner plan" });
  await expect(owners.getByTestId("note-author")).toHaveText(`By ${org.owner.name}`);
  await expect(owners.getByRole("button", { name: /Edit|Delete/ })).toHaveCount(0);
  await member.getByRole("button", { name: "New note" }).click();
  const dialog = member.getByRole("dialog", { name: "New note" });
  await dialog.getByLabel("Title", { exact: true }).fill("Member idea");
  await dialog.getByRole("button", { name: "Create note" }).click();
  const mine = member.getByTestId("note").filter({ hasText: "Member idea" });
  await expect(mine.getByTestId("note-author")).toHaveText("By you");
  await expect(mine.getByRole("button", { name: "Edit Member idea" })).toBeVisible();
  await ctx.close();

  // Owners and admins may change anyone's note.
  await webLogin(page, stack, org.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  const theirs = page.getByTestId("note").filter({ hasText: "Member idea" });
  await expect(theirs.getByTestId("note-author")).toHaveText(`By ${org.member.name}`);
  await expect(theirs.getByRole("button", { name: "Edit Member idea" })).toBeVisible();
});

test("a role change asks first and the toast names the person; invitations show as invited", async ({
  page,
  stack,
  tenants,
}) => {
  const org = await organisation({ stack, tenants }, "cyberdyne");
  const newbie = `newbie@${org.slug}.test`;
  await webLogin(page, stack, org.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Members", exact: true }).click();
  const row = page.getByTestId("member-row").filter({ hasText: org.member.email });
  const select = row.getByLabel(`Role of ${org.member.email}`);

  await select.selectOption("admin");
  const confirm = page.getByRole("dialog", { name: `Make ${org.member.name} an admin?` });
  await expect(confirm).toContainText("can then add, change and remove members");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(select).toHaveValue("member");

  await select.selectOption("admin");
  await confirm.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText(`Role updated. ${org.member.name} is now an admin.`)).toBeVisible();
  await expect(select).toHaveValue("admin");

  // Taking the admin role away asks too.
  await select.selectOption("member");
  const demote = page.getByRole("dialog", { name: `Make ${org.member.name} a member?` });
  await expect(demote).toContainText("loses the admin role");
  await demote.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText(`Role updated. ${org.member.name} is now a member.`)).toBeVisible();

  // An invitation not yet accepted: "invited", and nothing to deactivate.
  await page.getByRole("button", { name: "Add member" }).click();
  const add = page.getByRole("dialog", { name: "Add member" });
  await add.getByLabel("Email", { exact: true }).fill(newbie);
  await add.getByLabel("Name", { exact: true }).fill("Newbie Dyne");
  await add.getByRole("button", { name: "Create invite" }).click();
  // The dialog says the invitation was emailed and how long the link lasts.
  await expect(page.getByTestId("invite-note")).toContainText(
    `An invitation is on its way to ${newbie}`,
  );
  await expect(page.getByTestId("invite-note")).toContainText(/until \d+ \w+ \d{4}/);
  await page
    .getByRole("dialog", { name: "Invitation created" })
    .getByRole("button", { name: "Done" })
    .click();
  const invited = page.getByTestId("member-row").filter({ hasText: newbie });
  await expect(invited).toContainText("invited");
  await expect(invited.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
  await expect(
    invited.getByRole("button", { name: `Cancel invitation for ${newbie}` }),
  ).toBeVisible();

  // On a phone the table becomes cards: every action is on screen, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalScroll(page);
  const deactivate = row.getByRole("button", { name: "Deactivate" });
  await deactivate.scrollIntoViewIfNeeded();
  const box = await deactivate.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  // Each cell of the card is labelled by its column's name.
  const labels = await row
    .locator("td[data-label]")
    .evaluateAll((tds) => tds.map((td) => getComputedStyle(td, "::before").content));
  expect(labels).toEqual(['"Role"', '"Status"']);
});

test("dark mode follows the system preference", async ({ browser, stack }) => {
  const url = `${stack.webUrl}/login`;
  expect(await bodyBackground(browser, url, "light")).toBe(BACKGROUND.light);
  expect(await bodyBackground(browser, url, "dark")).toBe(BACKGROUND.dark);
});

test("owners read the organisation's audit log, filtered, with impersonation marked", async ({
  page,
  browser,
  stack,
  tenants,
  admin,
}) => {
  const org = await organisation({ stack, tenants }, "tyrell");
  await admin.impersonate.start.mutate({
    tenantId: org.id,
    userEmail: org.member.email,
    reason: "Support ticket 9001",
  });
  await org.ownerApi.notes.create.mutate({ title: "Audited note", body: "", tags: [] });
  // More entries than one page holds.
  for (let i = 0; i < 20; i++)
    await org.ownerApi.notes.create.mutate({ title: `Filler ${i}`, body: "", tags: [] });

  await webLogin(page, stack, org.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Audit log", exact: true }).click();
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(20);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows).not.toHaveCount(20);
  const created = rows.filter({ hasText: "title: Audited note" });
  await expect(created).toContainText("Created a note");
  await expect(created).toContainText(org.owner.email);
  const impersonation = rows.filter({ hasText: "A platform admin signed in as this person" });
  await expect(impersonation).toContainText(`impersonated by ${stack.adminEmail}`);
  await expect(impersonation).toContainText("Support ticket 9001");
  await expect(page.getByTestId("audit-table")).not.toContainText("{");

  await page.getByLabel("Action", { exact: true }).selectOption("settings.update");
  await expect(page.getByText("No entries for this action")).toBeVisible();
  await page.getByLabel("Action", { exact: true }).selectOption("members.create");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Added a member");
  await expect(rows.first()).toContainText(org.member.email);
  await page.getByLabel("Action", { exact: true }).selectOption("");
  await expect(rows.filter({ hasText: "Signed in" }).first()).toBeVisible();

  // Members have no audit log.
  const ctx = await browser.newContext();
  const member = await ctx.newPage();
  await webLogin(member, stack, org.member.email);
  await expect(member.getByRole("heading", { name: /Welcome, Max/ })).toBeVisible();
  await expect(
    member.getByRole("navigation").getByRole("link", { name: "Audit log", exact: true }),
  ).toHaveCount(0);
  await member.goto(`${stack.webUrl}/audit`);
  await expect(member.getByText("Only admins read the audit log")).toBeVisible();
  await ctx.close();
});
