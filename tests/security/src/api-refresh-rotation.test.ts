// Audit F-9: refresh rotation is race-free. A replay racing the genuine refresh leaves no live
// session in the family, whoever wins; two tabs of one browser refreshing at once both stay
// signed in (a short grace for the immediately previous token, same client only).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CallResult, Stack } from "./api-stack";
import { OWNER_PASSWORD, cookiesOf, startStack } from "./api-stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack({ tenants: 1 });
}, 120_000);
afterAll(async () => s?.stop());

const browser = { "user-agent": "Mozilla/5.0 Tab", "x-forwarded-for": "198.51.100.7" };
const thief = { "user-agent": "curl/8.9", "x-forwarded-for": "203.0.113.66" };

async function signIn(): Promise<string> {
  const r = await s.web.call(
    "mutation",
    "auth.login",
    { email: s.tenants[0]?.email, password: OWNER_PASSWORD },
    { headers: browser },
  );
  expect(r.ok).toBe(true);
  return cookiesOf(r);
}

const refresh = (cookie: string, headers: Record<string, string>) =>
  s.web.call("mutation", "auth.refresh", {}, { headers: { ...headers, cookie } });
const me = (cookie: string) =>
  s.web.call("query", "auth.me", undefined, { headers: { ...browser, cookie } });

describe("a replay racing the genuine refresh", () => {
  it("leaves no live session in the family, in every one of 8 races", async () => {
    for (let round = 0; round < 8; round++) {
      const cookie = await signIn();
      const results: CallResult[] = await Promise.all([
        refresh(cookie, browser),
        refresh(cookie, thief),
      ]);
      expect(
        results.some((r) => r.reason === "REFRESH_REUSED"),
        `round ${round}`,
      ).toBe(true);
      for (const won of results.filter((r) => r.ok)) {
        const next = cookiesOf(won);
        expect((await me(next)).code, `round ${round}: access token of the winner`).toBe(
          "UNAUTHORIZED",
        );
        expect((await refresh(next, browser)).ok, `round ${round}: its refresh token`).toBe(false);
      }
    }
  });
});

describe("two tabs refreshing at once", () => {
  it("both get working tokens in the same session, and both can refresh again", async () => {
    const cookie = await signIn();
    const [a, b] = await Promise.all([refresh(cookie, browser), refresh(cookie, browser)]);
    expect([a?.ok, b?.ok]).toEqual([true, true]);
    for (const tab of [a, b] as CallResult[]) {
      expect((await me(cookiesOf(tab))).ok).toBe(true);
    }
    for (const tab of [a, b] as CallResult[]) {
      expect((await refresh(cookiesOf(tab), browser)).ok).toBe(true);
    }
  });

  it("the grace is for the same client only: the same token from elsewhere is a replay", async () => {
    const cookie = await signIn();
    const first = await refresh(cookie, browser);
    expect(first.ok).toBe(true);
    expect((await refresh(cookie, thief)).reason).toBe("REFRESH_REUSED");
    expect((await me(cookiesOf(first))).code).toBe("UNAUTHORIZED");
  });
});
