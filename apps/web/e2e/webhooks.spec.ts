// An owner adds a webhook endpoint in organisation settings → Webhooks, sees its signing secret
// once, and the delivery log shows each attempt's status code: a receiver on 127.0.0.1 answers
// 500 first, the retry gets 200, and the delivery is marked delivered.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { expect, test, webApi, webLogin } from "@tenantry/e2e/fixtures";

test("owner registers a webhook and the delivery log shows the attempts' status codes", async ({
  page,
  stack,
  tenant,
}) => {
  const answers = [500];
  const bodies: string[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString("utf8"));
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  try {
    await webLogin(page, stack, tenant.owner.email);
    await page.getByRole("navigation").getByRole("link", { name: "Webhooks", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Webhooks", exact: true })).toBeVisible();
    await expect(page.getByText("No endpoints yet")).toBeVisible();

    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("URL", { exact: true }).fill(url);
    await dialog.getByLabel("note.created", { exact: true }).check();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveValue(/^whsec_/);
    await page.getByRole("button", { name: "I have stored it" }).click();
    await expect(page.getByTestId("webhook-endpoint-row")).toContainText(url);

    const api = await webApi(stack, tenant.owner);
    await api.notes.create.mutate({ title: "Webhook e2e", body: "", tags: [] });

    const row = page.getByTestId("webhook-delivery-row").filter({ hasText: "note.created" });
    await expect(row).toContainText("delivered", { timeout: 15_000 });
    const attempts = row.getByTestId("webhook-attempt");
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(0)).toContainText("500");
    await expect(attempts.nth(1)).toContainText("200");
    await expect(attempts.nth(1)).toContainText(" ms");
    expect(bodies.every((b) => b.includes("Webhook e2e"))).toBe(true);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
