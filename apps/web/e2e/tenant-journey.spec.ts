// The life of a tenant across both apps: the admin creates it, its owner works in it and invites
// a colleague, the admin suspends and resumes it. Each test arranges the tenant it needs through
// the fixtures, so any test runs alone, in any order, next to the others.
import {
  PASSWORD,
  adminLogin as adminLoginTo,
  expect,
  expectNoHorizontalScroll,
  shot,
  test,
  unique,
  webApi,
  webLogin as webLoginTo,
} from "@tenantry/e2e/fixtures";
import type { Fixtures, Person } from "@tenantry/e2e/fixtures";

const OWNER = { name: "Olivia Owner" };
const ACME = { slug: "acme", name: "Acme Corp", owner: OWNER };

/** Gina owns Globex (with a secret note) and Initech: an email in two tenants. */
async function ginaInTwoTenants({ stack, tenants }: Pick<Fixtures, "stack" | "tenants">) {
  const gina: Person = {
    email: `${unique("gina")}@globex.test`,
    name: "Gina Globex",
    password: PASSWORD,
  };
  const globex = await tenants.create({ slug: "globex", name: "Globex", owner: gina });
  await tenants.create({ slug: "initech", name: "Initech", owner: gina });
  const api = await webApi(stack, gina, globex.slug);
  await api.notes.create.mutate({
    title: "Globex secret formula",
    body: "not for Acme",
    tags: ["secret"],
  });
  return { gina, globex, api };
}

/** Acme with the two notes its owner kept in the notes test: "Quarterly plan v2" and "Hiring". */
async function acmeWithNotes({ stack, tenants }: Pick<Fixtures, "stack" | "tenants">) {
  const acme = await tenants.create(ACME);
  const api = await webApi(stack, acme.owner);
  for (const title of ["Hiring", "Quarterly plan v2"])
    await api.notes.create.mutate({ title, body: "", tags: ["planning"] });
  return acme;
}

test("admin signs in and creates a tenant with an owner", async ({ page, stack, tenants }) => {
  const slug = unique("acme");
  const OWNER = { email: `olivia@${slug}.test`, name: "Olivia Owner" };
  await adminLoginTo(page, stack);
  await page.getByRole("link", { name: "Create tenant" }).first().click();
  await expect(page.getByRole("heading", { name: "Create tenant" })).toBeVisible();
  // Inline validation: errors sit next to their fields.
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByText("3–40 characters", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Owner email", { exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await page.getByLabel("Name", { exact: true }).fill("Acme Corp");
  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await page.getByLabel("Owner email", { exact: true }).fill(OWNER.email);
  await page.getByLabel("Owner name", { exact: true }).fill(OWNER.name);
  await page.getByLabel("Owner password", { exact: true }).fill(PASSWORD);
  await shot(page, "admin-create-tenant");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page).toHaveURL(/\/tenants\/[a-f0-9]{24}$/, { timeout: 30_000 });
  tenants.track({ id: page.url().split("/").pop() ?? "", slug });
  await expect(page.getByRole("heading", { name: "Acme Corp" })).toBeVisible();
  await expect(page.getByText("active", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("stat-users")).toContainText("1");
  await shot(page, "admin-tenant-detail");
  await page.getByRole("link", { name: "Back to tenants" }).click();
  await expect(page.getByTestId("tenants-table")).toContainText(slug);
  await shot(page, "admin-tenants");
});

test("owner signs in, writes, edits, searches and deletes notes", async ({
  page,
  stack,
  tenants,
}) => {
  const acme = await tenants.create(ACME);
  await webLoginTo(page, stack, acme.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome, Olivia/ })).toBeVisible();
  await expect(page.getByText("No notes yet")).toBeVisible();
  await shot(page, "web-dashboard-empty");

  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(page.getByTestId("empty-state")).toBeVisible();
  const create = async (title: string, body: string, tags: string) => {
    await page.getByRole("button", { name: "New note" }).click();
    const dialog = page.getByRole("dialog", { name: "New note" });
    await dialog.getByLabel("Title", { exact: true }).fill(title);
    await dialog.getByLabel("Text", { exact: true }).fill(body);
    await dialog.getByLabel("Tags", { exact: true }).fill(tags);
    await dialog.getByRole("button", { name: "Create note" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("note").filter({ hasText: title })).toBeVisible();
  };
  await create("Quarterly plan", "Grow revenue in the north region.", "planning, q3");
  await create("Lunch menu", "Soup on Fridays.", "food");
  await create("Hiring", "Two engineers by October.", "planning");

  // Edit: the new title replaces the old one.
  await page.getByRole("button", { name: "Edit Quarterly plan" }).click();
  const edit = page.getByRole("dialog", { name: "Edit note" });
  await edit.getByLabel("Title", { exact: true }).fill("Quarterly plan v2");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("note").filter({ hasText: "Quarterly plan v2" })).toBeVisible();
  await expect(page.getByText("Note saved.")).toBeVisible();

  // Search narrows the list; the tag filter too.
  await page.getByLabel("Search", { exact: true }).fill("soup");
  await expect(page.getByTestId("note")).toHaveCount(1);
  await expect(page.getByTestId("note")).toContainText("Lunch menu");
  await page.getByLabel("Search", { exact: true }).fill("");
  await page.getByLabel("Tag", { exact: true }).fill("planning");
  await expect(page.getByTestId("note")).toHaveCount(2);
  await expect(page.getByTestId("note-list")).not.toContainText("Lunch menu");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByTestId("note")).toHaveCount(3);
  await shot(page, "web-notes");

  // Delete asks first; cancelling keeps the note.
  await page.getByRole("button", { name: "Delete Lunch menu" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete note?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("note")).toHaveCount(3);
  await page.getByRole("button", { name: "Delete Lunch menu" }).click();
  await confirm.getByRole("button", { name: "Delete note" }).click();
  await expect(page.getByTestId("note")).toHaveCount(2);
  await expect(page.getByTestId("note-list")).not.toContainText("Lunch menu");
});

test("an expired access cookie is renewed by the POST-only refresh, back on the same page", async ({
  page,
  context,
  stack,
  tenants,
}) => {
  const acme = await tenants.create(ACME);
  await webLoginTo(page, stack, acme.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome, Olivia/ })).toBeVisible();
  // Leave the app first: its own queries, refused once the cookie is gone, would start a refresh
  // of their own and race the visit below (a person whose token expired is not mid-navigation).
  await page.goto("about:blank");
  await context.clearCookies({ name: "tenantry_at" });
  await page.goto(`${stack.webUrl}/notes`);
  await expect(page).toHaveURL(/\/notes$/);
  await expect(page.getByRole("button", { name: "New note" })).toBeVisible();
  expect((await context.cookies()).some((c) => c.name === "tenantry_at")).toBe(true);
  // Rotating tokens changes state: a GET (a link, an <img> on another site) rotates nothing.
  const viaGet = await page.request.get(`${stack.webUrl}/api/session/refresh?next=/notes`, {
    maxRedirects: 0,
  });
  expect(viaGet.status()).toBe(405);
  // Leave the app before the fixtures delete this tenant: the open page would otherwise answer the
  // deletion with redirects of its own while the browser context closes (a CI run hung there).
  await page.goto("about:blank");
});

test("owner invites a member, who accepts and sees only this tenant's notes", async ({
  page,
  browser,
  stack,
  tenants,
}) => {
  const acme = await acmeWithNotes({ stack, tenants });
  const MEMBER = { email: `mark@${acme.slug}.test`, name: "Mark Member" };
  // Another tenant with a note of its own: it must never show up for Acme's member.
  await ginaInTwoTenants({ stack, tenants });

  await webLoginTo(page, stack, acme.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Members", exact: true }).click();
  await expect(page.getByTestId("member-row")).toHaveCount(1);
  await page.getByRole("button", { name: "Add member" }).click();
  const dialog = page.getByRole("dialog", { name: "Add member" });
  await dialog.getByLabel("Email", { exact: true }).fill(MEMBER.email);
  await dialog.getByLabel("Name", { exact: true }).fill(MEMBER.name);
  await dialog.getByLabel("Role", { exact: true }).selectOption("member");
  await dialog.getByRole("button", { name: "Create invite" }).click();
  const link = page.getByTestId("invite-url");
  await expect(link).toHaveValue(/\/invite#token=/);
  const inviteUrl = await link.inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("member-row")).toHaveCount(2);
  await shot(page, "web-members");

  const ctx = await browser.newContext();
  const member = await ctx.newPage();
  await member.goto(inviteUrl);
  await member.getByLabel("Your name (optional)", { exact: true }).fill(MEMBER.name);
  await member.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await member.getByLabel("Repeat password", { exact: true }).fill(PASSWORD);
  await member.getByRole("button", { name: "Set password" }).click();
  // Accepting signs them in and lands them in the app.
  await member.waitForURL((u) => !u.pathname.startsWith("/invite"));
  await expect(member.getByTestId("dashboard-role")).toContainText("member");
  await member.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(member.getByTestId("note")).toHaveCount(2);
  await expect(member.getByTestId("note-list")).toContainText("Quarterly plan v2");
  await expect(member.getByTestId("note-list")).not.toContainText("Globex secret formula");
  // Members do not manage members.
  await expect(
    member.getByRole("navigation").getByRole("link", { name: "Members", exact: true }),
  ).toHaveCount(0);
  await ctx.close();
});

test("owner manages members: create with password, change role, deactivate, reactivate, remove", async ({
  page,
  browser,
  stack,
  tenants,
}) => {
  const acme = await tenants.create(ACME);
  const PAT = { email: `pat@${acme.slug}.test`, name: "Pat Password" };
  await webLoginTo(page, stack, acme.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Members", exact: true }).click();
  await page.getByRole("button", { name: "Add member" }).click();
  const dialog = page.getByRole("dialog", { name: "Add member" });
  await dialog.getByLabel("Email", { exact: true }).fill(PAT.email);
  await dialog.getByLabel("Name", { exact: true }).fill(PAT.name);
  await dialog.getByLabel("Set an initial password", { exact: true }).check();
  await dialog.getByLabel("Initial password", { exact: true }).fill("short");
  await dialog.getByRole("button", { name: "Create member" }).click();
  await expect(dialog.getByText("Use at least 12 characters.")).toBeVisible();
  await dialog.getByLabel("Initial password", { exact: true }).fill(PASSWORD);
  await dialog.getByRole("button", { name: "Create member" }).click();
  await expect(page.getByText(`${PAT.email} can now sign in.`)).toBeVisible();
  const row = page.getByTestId("member-row").filter({ hasText: PAT.email });
  await row.getByLabel(`Role of ${PAT.email}`).selectOption("admin");
  await page.getByRole("dialog").getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText("Role updated.")).toBeVisible();
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row).toContainText("deactivated");

  // A deactivated member cannot sign in.
  const ctx = await browser.newContext();
  const pat = await ctx.newPage();
  await webLoginTo(pat, stack, PAT.email);
  await expect(pat.getByTestId("login-error")).toBeVisible();

  await row.getByRole("button", { name: "Reactivate" }).click();
  await expect(row).toContainText("active");
  await webLoginTo(pat, stack, PAT.email);
  await expect(pat.getByTestId("dashboard-role")).toContainText("admin");
  await ctx.close();

  await page.getByRole("button", { name: `Remove ${PAT.email}` }).click();
  await page
    .getByRole("dialog", { name: "Remove member?" })
    .getByRole("button", { name: "Remove member" })
    .click();
  await expect(page.getByTestId("member-row").filter({ hasText: PAT.email })).toHaveCount(0);
});

test("member changes their password; owner renames the organisation in settings", async ({
  page,
  stack,
  tenants,
}) => {
  const acme = await tenants.create(ACME);
  const MEMBER = { email: `mark@${acme.slug}.test`, name: "Mark Member" };
  await (await webApi(stack, acme.owner)).members.create.mutate({ ...MEMBER, password: PASSWORD });
  const NEW_PASSWORD = "N3w-Secret-Phrase!";
  await webLoginTo(page, stack, MEMBER.email);
  await page.getByRole("navigation").getByRole("link", { name: "Profile", exact: true }).click();
  await page.getByLabel("Current password", { exact: true }).fill("wrong-password-123A");
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Repeat new password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Current password is incorrect.")).toBeVisible();
  await page.getByLabel("Current password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  await shot(page, "web-profile");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await webLoginTo(page, stack, MEMBER.email, PASSWORD);
  await expect(page.getByTestId("login-error")).toBeVisible();
  await webLoginTo(page, stack, MEMBER.email, NEW_PASSWORD);
  await expect(page.getByRole("heading", { name: /Welcome, Mark/ })).toBeVisible();

  await webLoginTo(page, stack, acme.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByLabel("Display name", { exact: true }).fill("Acme Worldwide");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Display name", { exact: true })).toHaveValue("Acme Worldwide");
  await shot(page, "web-settings");
});

test("a suspended tenant's owner lands on the suspended page; resuming keeps the data", async ({
  page,
  browser,
  stack,
  tenants,
}) => {
  // Two apps, two browser contexts and its own tenant to arrange: the longest flow of the suite.
  test.slow();
  const acme = await acmeWithNotes({ stack, tenants });
  await webLoginTo(page, stack, acme.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(page.getByTestId("note")).toHaveCount(2);

  const adminCtx = await browser.newContext();
  const adminPage = await adminCtx.newPage();
  await adminLoginTo(adminPage, stack);
  await adminPage.goto(`${stack.adminUrl}/tenants/${acme.id}`);
  await adminPage.getByRole("button", { name: "Suspend tenant" }).click();
  const dialog = adminPage.getByRole("dialog", { name: new RegExp(`Suspend ${acme.slug}`) });
  await dialog.getByRole("button", { name: "Suspend tenant" }).click();
  await expect(dialog.getByText("Give a reason")).toBeVisible();
  await dialog.getByLabel("Reason", { exact: true }).fill("Invoice 2024-117 is unpaid");
  await dialog.getByRole("button", { name: "Suspend tenant" }).click();
  await expect(adminPage.getByTestId("suspended-alert")).toContainText(
    "Invoice 2024-117 is unpaid",
  );

  // The promise is "within one second" on every instance; the web app is another process.
  await page.waitForTimeout(1_100);
  // The owner's very next action.
  await page.getByRole("button", { name: "New note" }).click();
  const editor = page.getByRole("dialog", { name: "New note" });
  await editor.getByLabel("Title", { exact: true }).fill("Written while suspended");
  await editor.getByRole("button", { name: "Create note" }).click();
  await page.waitForURL(/\/suspended/);
  await expect(page.getByRole("heading", { name: "This organisation is suspended" })).toBeVisible();
  await shot(page, "web-suspended");
  // Signing in again does not get round it.
  await webLoginTo(page, stack, acme.owner.email);
  await page.waitForURL(/\/suspended/);
  await expect(page.getByTestId("suspended-page")).toBeVisible();

  await adminPage.getByRole("button", { name: "Resume tenant" }).click();
  await adminPage
    .getByRole("dialog", { name: "Resume tenant?" })
    .getByRole("button", { name: "Resume" })
    .click();
  await expect(adminPage.getByTestId("suspended-alert")).toHaveCount(0);
  await adminCtx.close();

  await webLoginTo(page, stack, acme.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome, Olivia/ })).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(page.getByTestId("note")).toHaveCount(2);
  await expect(page.getByTestId("note-list")).toContainText("Quarterly plan v2");
  await expect(page.getByTestId("note-list")).toContainText("Hiring");
  await expect(page.getByTestId("note-list")).not.toContainText("Written while suspended");
});

test("suspended page shows the reason the admin gave", async ({ page, stack, admin, tenant }) => {
  await webLoginTo(page, stack, tenant.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await admin.tenants.suspend.mutate({ id: tenant.id, reason: "Scheduled compliance review" });
  // The open page may move itself to /suspended first (one of its own queries is refused);
  // otherwise the owner's next click does. Either way they end on the suspended page.
  await expect(async () => {
    if (!/\/suspended/.test(page.url())) {
      await page
        .getByRole("navigation")
        .getByRole("link", { name: "Notes", exact: true })
        .click({ timeout: 2_000 });
    }
    await page.waitForURL(/\/suspended/, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("suspension-reason")).toHaveText("Scheduled compliance review");
  await admin.tenants.resume.mutate({ id: tenant.id });
});

test("an email in two tenants gets a tenant picker", async ({ page, stack, tenants }) => {
  const { gina } = await ginaInTwoTenants({ stack, tenants });
  await webLoginTo(page, stack, gina.email);
  const picker = page.getByTestId("tenant-picker");
  await expect(picker).toBeVisible();
  await expect(picker.getByRole("radio")).toHaveCount(2);
  await shot(page, "web-login-tenant-picker");
  await picker.getByRole("radio", { name: /Initech/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("You are working in")).toContainText("Initech");
  await expect(page.getByTestId("note-list")).toHaveCount(0);
  // Switch organisation from inside the app: the header's switcher, one click, no password.
  await page.getByTestId("org-switcher").click();
  await page.getByRole("menuitem", { name: /Globex/ }).click();
  await expect(page.getByText("You are working in")).toContainText("Globex");
  await expect(page.getByText("Globex secret formula")).toBeVisible();
});

test("notes page pages through a long list with a cursor", async ({ page, stack, tenants }) => {
  const { gina, api } = await ginaInTwoTenants({ stack, tenants });
  for (let i = 1; i <= 11; i++)
    await api.notes.create.mutate({
      title: `Batch note ${String(i).padStart(2, "0")}`,
      body: "",
      tags: ["batch"],
    });
  await webLoginTo(page, stack, gina.email);
  await page
    .getByTestId("tenant-picker")
    .getByRole("radio", { name: /Globex/ })
    .check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(page.getByTestId("note")).toHaveCount(10);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(page.getByTestId("note")).toHaveCount(12);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  // Filtering by tag starts again from the first page.
  await page.getByRole("button", { name: "Filter by tag secret" }).click();
  await expect(page.getByTestId("note")).toHaveCount(1);
});

test("forms work from the keyboard alone", async ({ page, stack, tenant }) => {
  await page.goto(`${stack.webUrl}/login`);
  // The email field has focus on arrival; Tab moves to the password; Enter submits.
  await page.keyboard.type(tenant.owner.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await page.getByRole("button", { name: "New note" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "New note" });
  await expect(dialog.getByLabel("Title", { exact: true })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "New note" })).toBeFocused();
});

test("login errors are shown next to the form", async ({ page, stack, tenant }) => {
  const OWNER = tenant.owner;
  await page.goto(`${stack.webUrl}/notes`);
  await page.waitForURL(/\/login\?next=%2Fnotes/);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password-1A");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
  await page.getByLabel("Email", { exact: true }).fill("nobody@nowhere.test");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
  await shot(page, "web-login-error");
  // The right password still works and goes where the visitor was heading.
  await page.getByLabel("Email", { exact: true }).fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/notes$/);
});

test("impersonation opens the web app with a banner", async ({
  page,
  context,
  stack,
  tenant,
  user,
}) => {
  const MEMBER = user;
  await adminLoginTo(page, stack);
  await page.goto(`${stack.adminUrl}/tenants/${tenant.id}`);
  await page.getByRole("button", { name: "Impersonate a user" }).click();
  const dialog = page.getByRole("dialog", { name: "Impersonate a user" });
  // The member is picked from the organisation's active members (the option's value is the email).
  await dialog.getByLabel("Member", { exact: true }).selectOption(MEMBER.email);
  await dialog.getByLabel("Reason", { exact: true }).fill("Support ticket 4711");
  const popup = context.waitForEvent("page");
  await dialog.getByRole("button", { name: "Open web app as this user" }).click();
  const web = await popup;
  await web.waitForLoadState();
  await expect(web.getByTestId("impersonation-banner")).toContainText(stack.adminEmail);
  await expect(web.getByTestId("impersonation-banner")).toContainText(MEMBER.email);
  await expect(web.getByTestId("current-user")).toContainText(MEMBER.name);
  await shot(web, "web-impersonation");
});

test("main pages work at 390 px wide", async ({ page, stack, tenant }) => {
  await (
    await webApi(stack, tenant.owner)
  ).notes.create.mutate({ title: "Hiring", body: "", tags: [] });
  await page.setViewportSize({ width: 390, height: 844 });
  await webLoginTo(page, stack, tenant.owner.email);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, "web-dashboard-390");
  await page.getByRole("button", { name: "Open menu" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(page.getByTestId("note").first()).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, "web-notes-390");
  await page.goto(`${stack.webUrl}/profile`);
  await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, "web-profile-390");
});
