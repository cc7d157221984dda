// A super admin adds a platform webhook endpoint for tenant.suspended, suspends an organisation,
// and the delivery log shows the receiver's 200 with its timing; disabling the endpoint shows.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { adminLogin, expect, test } from "@tenantry/e2e/fixtures";

test("super admin registers a platform webhook and sees the delivery's status code", async ({
  page,
  stack,
  admin,
  tenant,
}) => {
  const bodies: string[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString("utf8"));
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/platform`;
  try {
    await adminLogin(page, stack);
    await page.getByRole("navigation").getByRole("link", { name: "Webhooks", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Webhooks", exact: true })).toBeVisible();

    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("URL", { exact: true }).fill(url);
    await dialog.getByLabel("tenant.suspended", { exact: true }).check();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveValue(/^whsec_/);
    await page.getByRole("button", { name: "I have stored it" }).click();
    const endpoint = page.getByTestId("webhook-endpoint-row").filter({ hasText: url });
    await expect(endpoint).toContainText("enabled");

    await admin.tenants.suspend.mutate({ id: tenant.id, reason: "webhook e2e" });
    const row = page
      .getByTestId("webhook-delivery-row")
      .filter({ hasText: "tenant.suspended" })
      .filter({ hasText: url });
    await expect(row).toContainText("delivered", { timeout: 15_000 });
    await expect(row.getByTestId("webhook-attempt").first()).toContainText(/200 · \d+ ms/);
    expect(bodies.some((b) => b.includes(tenant.id))).toBe(true);

    await endpoint.getByRole("button", { name: `Disable ${url}` }).click();
    await expect(endpoint).toContainText("disabled");
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
