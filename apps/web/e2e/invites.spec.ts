// Invitations as people meet them: the owner invites by email, the invitation arrives (read from
// the stack's mail catcher) naming the organisation and the inviter, the link opens a page that
// says who invited whom to what, and accepting signs the new member in. Pending invitations show
// until when they work; resend replaces the link, revoke withdraws it, and a dead link says why.
import { expect, test, webLogin } from "@tenantry/e2e/fixtures";
import type { Page } from "@playwright/test";

const NEW_PASSWORD = "Welcome-Aboard-2026!";

const linkIn = (text: string) => {
  const url = /(http\S+\/invite#token=\S+)/.exec(text)?.[1];
  if (!url) throw new Error(`no invite link in:\n${text}`);
  return url;
};

async function inviteFromMembersPage(page: Page, email: string, name: string) {
  await page.getByRole("navigation").getByRole("link", { name: "Members", exact: true }).click();
  await page.getByRole("button", { name: "Add member" }).click();
  const dialog = page.getByRole("dialog", { name: "Add member" });
  await dialog.getByLabel("Email", { exact: true }).fill(email);
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByRole("button", { name: "Create invite" }).click();
  await expect(page.getByTestId("invite-note")).toContainText(
    `An invitation is on its way to ${email}`,
  );
  await page
    .getByRole("dialog", { name: "Invitation created" })
    .getByRole("button", { name: "Done" })
    .click();
}

test("an owner invites by email; the invitee opens the mailed link, sees who invited them where, accepts and is signed in", async ({
  page,
  browser,
  stack,
  tenant,
  mail,
}) => {
  const invitee = `ivy@${tenant.slug}.test`;
  await webLogin(page, stack, tenant.owner.email);
  await inviteFromMembersPage(page, invitee, "Ivy Invited");

  const message = await mail.waitForMessage(invitee);
  expect(message.subject).toBe(`You're invited to join ${tenant.name}`);
  expect(message.text).toContain(`${tenant.owner.name} (${tenant.owner.email}) invited you`);
  const url = linkIn(message.text);

  const ctx = await browser.newContext();
  const guest = await ctx.newPage();
  await guest.goto(url);
  const details = guest.getByTestId("invite-details");
  await expect(details).toContainText(tenant.name);
  await expect(details).toContainText(tenant.owner.name);
  await expect(details).toContainText(invitee);
  await guest.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
  await guest.getByLabel("Repeat password", { exact: true }).fill(NEW_PASSWORD);
  await guest.getByRole("button", { name: "Set password and sign in" }).click();
  await guest.waitForURL((u) => !u.pathname.startsWith("/invite"));
  await expect(guest.getByTestId("dashboard-role")).toContainText("member");
  await expect(guest.getByRole("button", { name: "Sign out" })).toBeVisible();

  // The link worked once.
  await ctx.clearCookies();
  await guest.goto(url);
  await expect(guest.getByTestId("invite-refused")).toContainText("already been accepted");
  await ctx.close();

  // The owner's list: no longer pending, and the member is active.
  await page.reload();
  await expect(page.getByTestId("member-row").filter({ hasText: invitee })).toContainText("active");
  await expect(page.getByTestId("pending-invite").filter({ hasText: invitee })).toHaveCount(0);
});

test("pending invitations show until when they work; resend replaces the link and revoke withdraws it", async ({
  page,
  browser,
  stack,
  tenant,
  mail,
}) => {
  const invitee = `rex@${tenant.slug}.test`;
  await webLogin(page, stack, tenant.owner.email);
  await inviteFromMembersPage(page, invitee, "Rex Resent");
  const first = linkIn((await mail.waitForMessage(invitee)).text);

  const row = page.getByTestId("pending-invite").filter({ hasText: invitee });
  await expect(row.getByTestId("invite-expiry")).toContainText(/works until \d+ \w+ \d{4}/);
  // Invited members show as invited, with nothing to deactivate.
  const memberRow = page.getByTestId("member-row").filter({ hasText: invitee });
  await expect(memberRow).toContainText("invited");
  await expect(memberRow.getByRole("button", { name: "Deactivate" })).toHaveCount(0);

  await row.getByRole("button", { name: `Resend the invitation to ${invitee}` }).click();
  await expect(page.getByText(`A new invitation is on its way to ${invitee}`)).toBeVisible();
  let second = first;
  await expect
    .poll(async () => {
      const mails = (await mail.messages()).filter((m) => m.to.some((t) => t.address === invitee));
      second = mails.length > 1 ? linkIn(mails.at(-1)?.text ?? "") : first;
      return mails.length;
    })
    .toBe(2);
  expect(second).not.toBe(first);

  const ctx = await browser.newContext();
  const guest = await ctx.newPage();
  await guest.goto(first);
  await expect(guest.getByTestId("invite-refused")).toContainText("replaced by a newer one");

  await row.getByRole("button", { name: `Revoke the invitation link of ${invitee}` }).click();
  await page
    .getByRole("dialog", { name: "Revoke invitation link?" })
    .getByRole("button", { name: "Revoke link" })
    .click();
  await expect(page.getByText(`The invitation link of ${invitee} no longer works.`)).toBeVisible();
  await expect(row.getByTestId("invite-expiry")).toContainText("link revoked");

  await guest.goto("about:blank");
  await guest.goto(second);
  await expect(guest.getByTestId("invite-refused")).toContainText("withdrawn");
  await expect(guest.getByLabel("Password", { exact: true })).toHaveCount(0);
  await ctx.close();
});
