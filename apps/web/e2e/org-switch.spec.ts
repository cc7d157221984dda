// One account across organisations in the browser: the header's switcher lists the person's
// organisations, switches in one click without a password, and for an organisation that asks for
// its own sign-in shows the hint and asks for that password.
import type { Fixtures, Person } from "@tenantry/e2e/fixtures";
import { PASSWORD, expect, shot, test, unique, webApi, webLogin } from "@tenantry/e2e/fixtures";

async function personInThree({ stack, tenants }: Pick<Fixtures, "stack" | "tenants">) {
  const pat: Person = {
    email: `${unique("pat")}@example.test`,
    name: "Pat Person",
    password: PASSWORD,
  };
  const hooli = await tenants.create({ slug: "hooli", name: "Hooli", owner: pat });
  const pied = await tenants.create({ slug: "pied", name: "Pied Piper" });
  const vault = await tenants.create({ slug: "vault", name: "Vault Co" });
  const vaultPassword = "Vault-Own-Pass-2026!";
  for (const [org, password] of [
    [pied, PASSWORD],
    [vault, vaultPassword],
  ] as const) {
    const owner = await webApi(stack, org.owner);
    await owner.members.create.mutate({
      email: pat.email,
      name: pat.name,
      role: "member",
      password,
    });
  }
  const vaultOwner = await webApi(stack, vault.owner);
  await vaultOwner.settings.update.mutate({ requireOwnSignIn: true });
  const inPied = await webApi(stack, pat, pied.slug);
  await inPied.notes.create.mutate({ title: "Pied Piper compression notes", body: "", tags: [] });
  return { pat, hooli, pied, vault, vaultPassword };
}

test("a person in several organisations switches through the header in one click", async ({
  page,
  stack,
  tenants,
}) => {
  const { pat, hooli } = await personInThree({ stack, tenants });
  await webLogin(page, stack, pat.email);
  await page.getByTestId("tenant-picker").getByRole("radio", { name: /Hooli/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("You are working in")).toContainText("Hooli");

  const switcher = page.getByTestId("org-switcher");
  await expect(switcher).toContainText("Hooli");
  await switcher.click();
  const menu = page.getByTestId("org-switcher-menu");
  await expect(menu.getByRole("menuitem")).toHaveCount(3);
  await expect(menu.getByRole("menuitem", { name: /Hooli/ })).toHaveAttribute(
    "aria-current",
    "true",
  );
  await expect(menu.getByRole("menuitem", { name: /Vault Co/ })).toContainText(
    "Asks for its password",
  );
  await shot(page, "web-org-switcher");
  await menu.getByRole("menuitem", { name: /Pied Piper/ }).click();

  await expect(page.getByText("You are working in")).toContainText("Pied Piper");
  await expect(page.getByTestId("org-switcher")).toContainText("Pied Piper");
  await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
  await expect(page.getByText("Pied Piper compression notes")).toBeVisible();
  // Back again, still one click: the switch works from either side.
  await page.getByTestId("org-switcher").click();
  await page.getByRole("menuitem", { name: /Hooli/ }).click();
  await expect(page.getByText("You are working in")).toContainText(hooli.name);
});

test("an organisation that requires its own sign-in asks for its password", async ({
  page,
  stack,
  tenants,
}) => {
  const { pat, vaultPassword } = await personInThree({ stack, tenants });
  await webLogin(page, stack, pat.email);
  await page.getByTestId("tenant-picker").getByRole("radio", { name: /Hooli/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("You are working in")).toContainText("Hooli");

  await page.getByTestId("org-switcher").click();
  await page.getByRole("menuitem", { name: /Vault Co/ }).click();
  await expect(page).toHaveURL(/\/switch-tenant\?org=vault-/);
  await expect(page.getByLabel("Organisation", { exact: true })).toHaveValue(/^vault-/);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Switch", exact: true }).click();
  await expect(page.getByText("Password is incorrect for that organisation.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(vaultPassword);
  await page.getByRole("button", { name: "Switch", exact: true }).click();
  await expect(page.getByText("You are working in")).toContainText("Vault Co");
});

test("an owner turns on the organisation's own sign-in in settings", async ({
  page,
  stack,
  tenant,
}) => {
  await webLogin(page, stack, tenant.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "Settings", exact: true }).click();
  const box = page.getByLabel("Require this organisation's own sign-in");
  await expect(box).not.toBeChecked();
  await box.check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Require this organisation's own sign-in")).toBeChecked();
});

test("an invitee with an account elsewhere joins with it, without a new password, then switches back", async ({
  page,
  browser,
  stack,
  tenants,
}) => {
  const sam: Person = { email: `${unique("sam")}@example.test`, name: "Sam", password: PASSWORD };
  const alpha = await tenants.create({ slug: "alpha", name: "Alpha", owner: sam });
  const beta = await tenants.create({ slug: "beta", name: "Beta Labs" });
  const betaOwner = await webApi(stack, beta.owner);
  const invite = await betaOwner.members.create.mutate({
    email: sam.email,
    name: sam.name,
    role: "member",
  });
  const url = `${stack.webUrl}/invite${new URL(invite.inviteUrl ?? "").hash}`;

  // Signed out: the page says how to join with the existing account.
  const ctx = await browser.newContext();
  const guest = await ctx.newPage();
  await guest.goto(url);
  await expect(guest.getByTestId("join-with-account-hint")).toContainText(sam.email);
  await ctx.close();

  // The pending invitation is a second directory entry: sign-in asks which organisation.
  await webLogin(page, stack, sam.email);
  await page.getByTestId("tenant-picker").getByRole("radio", { name: /Alpha/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("You are working in")).toContainText(alpha.name);
  await page.goto(url);
  const join = page.getByTestId("join-with-account");
  await expect(join).toContainText(`You are signed in as ${sam.email} in ${alpha.name}`);
  await join.getByRole("button", { name: "Join with your existing account" }).click();
  await expect(page.getByText("You are working in")).toContainText("Beta Labs");
  await expect(page.getByTestId("dashboard-role")).toContainText("member");

  await page.getByTestId("org-switcher").click();
  await page.getByRole("menuitem", { name: /Alpha/ }).click();
  await expect(page.getByText("You are working in")).toContainText(alpha.name);
});
