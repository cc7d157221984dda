// An owner creates an API key in Settings → API keys, sees its secret exactly once, a program
// calls the API with it, and revoking it in the page stops that program.
import { expect, test, webLogin } from "@tenantry/e2e/fixtures";

/** What a program sees calling notes.list with the key over the web app's tRPC endpoint. */
async function callWithKey(webUrl: string, key: string) {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 1 } }));
  const res = await fetch(`${webUrl}/api/trpc/notes.list?input=${input}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const body = (await res.json()) as { error?: { json: { data: { reason: string } } } };
  return { status: res.status, reason: body.error?.json.data.reason ?? null };
}

test("owner creates an API key, sees it once, and revoking it stops the program", async ({
  page,
  stack,
  tenant,
}) => {
  await webLogin(page, stack, tenant.owner.email);
  await page.getByRole("navigation").getByRole("link", { name: "API keys", exact: true }).click();
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();

  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  // Nothing chosen yet: the form says what is missing instead of sending it.
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Choose at least one scope.")).toBeVisible();
  await dialog.getByLabel("Name", { exact: true }).fill("nightly export");
  await dialog.getByLabel("notes:read", { exact: true }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();

  const secretField = page.getByTestId("new-key-secret");
  await expect(secretField).toHaveValue(/^tnk_[0-9a-f]{24}_[0-9a-f]{24}_[0-9a-f]{64}$/);
  const secret = await secretField.inputValue();
  await expect(page.getByTestId("key-once-note")).toContainText("only time it is shown");
  await page.getByRole("button", { name: "I have stored it" }).click();

  const row = page.getByTestId("key-row").filter({ hasText: "nightly export" });
  await expect(row).toContainText("notes:read");
  await expect(row).toContainText("active");
  expect(await callWithKey(stack.webUrl, secret)).toEqual({ status: 200, reason: null });

  // Shown once: after a reload the page holds no trace of the secret, and the last use shows.
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.content()).not.toContain(secret.slice(-64));
  await expect(row.getByText("—")).toHaveCount(0);

  await row.getByRole("button", { name: "Revoke nightly export" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("nightly export is revoked", { exact: false })).toBeVisible();
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: "Revoke nightly export" })).toHaveCount(0);
  await expect
    .poll(async () => callWithKey(stack.webUrl, secret), { timeout: 5000 })
    .toEqual({ status: 401, reason: "KEY_REVOKED" });
});
