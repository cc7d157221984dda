// Issue 13 item 1 (audit F-1): the per-IP login limit on the apps holds when a client talks to
// them directly. `next start` keeps an X-Forwarded-For the client sent, so the apps are served by
// `tenantry-next-serve`, which replaces it with the socket's address unless TRUST_PROXY=true.
// Against the production builds, from one socket, with a different forged header on each attempt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppsStack } from "./apps-stack";
import { AppSession, startAppsStack } from "./apps-stack";

let stack: AppsStack;

beforeAll(async () => {
  stack = await startAppsStack("apps-client-ip", { TRUST_PROXY: "false" });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** 60 wrong logins at once, each claiming another address; the reasons they were refused with. */
async function sprayWithForgedAddresses(appUrl: string): Promise<Record<string, number>> {
  const tab = new AppSession(appUrl);
  const results = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const res = await tab.fetch("/api/trpc/auth.login", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-tenantry-csrf": "1",
          origin: tab.origin,
          "x-forwarded-for": `198.51.100.${i + 1}`,
        },
        body: JSON.stringify({
          json: { email: `spray-${i}@nowhere.test`, password: "Wrong-Guess-000-xyz" },
        }),
      });
      const body = (await res.json()) as { error?: { json?: { data?: { reason?: string } } } };
      return body.error?.json?.data?.reason ?? `HTTP ${res.status}`;
    }),
  );
  const by: Record<string, number> = {};
  for (const r of results) by[r] = (by[r] ?? 0) + 1;
  return by;
}

describe("without a trusted proxy, the apps key login limits on the socket's address", () => {
  it("the web app verifies at most 50 of 60 attempts whose X-Forwarded-For is forged", async () => {
    const by = await sprayWithForgedAddresses(stack.webUrl);
    expect(by.INVALID_CREDENTIALS ?? 0, JSON.stringify(by)).toBeLessThanOrEqual(50);
    expect(by.RATE_LIMITED ?? 0, JSON.stringify(by)).toBeGreaterThanOrEqual(10);
  });

  it("so does the admin app", async () => {
    const by = await sprayWithForgedAddresses(stack.adminUrl);
    expect(by.INVALID_CREDENTIALS ?? 0, JSON.stringify(by)).toBeLessThanOrEqual(50);
    expect(by.RATE_LIMITED ?? 0, JSON.stringify(by)).toBeGreaterThanOrEqual(10);
  });
});
