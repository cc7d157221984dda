// Issue 13 item 4 (audit F-3, C06/C07): `next=` redirect targets. In both apps, on the login page
// and in the session-refresh route, a target is followed only when the URL parser resolves it to
// the app's own origin; control characters, backslashes and protocol-relative forms are refused.
// A signed-in user following a link on the real domain must never land on another site.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppSession, AppsStack } from "./apps-stack";
import { AppSession as Session, startSignedInStack } from "./apps-stack";

/** Raw `next=` query values (already URL-encoded where a browser link would be). */
const HOSTILE = [
  "/%09/evil.example/", // the audit's case: a browser drops the tab and follows //evil.example/
  "/%0A/evil.example/",
  "/%0D%0A/evil.example/",
  "//evil.example/",
  "/%5Cevil.example/", // /\evil.example/
  "%5C%5Cevil.example/",
  "/%5C/evil.example/",
  "https://evil.example/",
  "https:evil.example",
  "javascript:alert(1)",
  "%20//evil.example/",
  "/%00/evil.example/",
];

let stack: AppsStack;
let web: AppSession;
let admin: AppSession;

beforeAll(async () => {
  ({ stack, admin, web } = await startSignedInStack("apps-redirects", "redirect-co"));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** Where a browser at `appUrl` goes for this Location (the URL parser drops tabs and newlines, as browsers do). */
function expectStaysOnApp(location: string | null, appUrl: string, what: string) {
  expect(location, what).toBeTruthy();
  const target = new URL(location ?? "", appUrl);
  expect(target.origin, `${what} -> ${location}`).toBe(new URL(appUrl).origin);
  expect(location, what).not.toMatch(/evil\.example|javascript:/i);
}

/**
 * The refresh route (GET today; issue 13 item 7 makes it POST-only): whichever method it
 * serves, `next=` must be sanitised.
 */
/** The refresh route as the /session/refresh page submits it: a POST with `next` as a form field. */
function refresh(session: AppSession, next: string): Promise<Response> {
  return session.fetch("/api/session/refresh", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: session.baseUrl },
    // `next` comes URL-encoded (as in a query string), which is also a form body's encoding.
    body: `next=${next}`,
  });
}

describe.each([
  ["web", () => web, "tenantry_rt"],
  ["admin", () => admin, "tenantry_admin_rt"],
] as const)("%s app", (_name, session, refreshCookie) => {
  it("the refresh route with a live session follows a same-origin next= and nothing else", async () => {
    const s = session();
    const ok = await refresh(s, encodeURIComponent("/somewhere?x=1#h"));
    // The route is POST-only (rotating a token changes state): 303 sends the browser on with a GET.
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/somewhere?x=1#h");
    expect(s.cookies.get(refreshCookie)).toBeTruthy();
    for (const next of HOSTILE) {
      const res = await refresh(s, next);
      expect([302, 303, 307], next).toContain(res.status);
      expectStaysOnApp(res.headers.get("location"), s.baseUrl, `refresh next=${next}`);
      expect(s.cookies.get(refreshCookie), "still signed in").toBeTruthy();
    }
  });

  it("the refresh route without a session sends to the login page with a safe next= only", async () => {
    const anonymous = new Session(session().baseUrl);
    for (const next of HOSTILE) {
      const res = await refresh(anonymous, next);
      const location = res.headers.get("location");
      expectStaysOnApp(location, anonymous.baseUrl, `refresh next=${next}`);
      const inner = new URL(location ?? "", anonymous.baseUrl).searchParams.get("next");
      if (inner !== null)
        expectStaysOnApp(inner, anonymous.baseUrl, `login next= carried on from ${next}`);
    }
  });

  it("the login page refuses a foreign next= (it never reaches the sign-in form)", async () => {
    const anonymous = new Session(session().baseUrl);
    const ok = await anonymous.fetch(`/login?next=${encodeURIComponent("/somewhere-else")}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("/somewhere-else");
    for (const next of HOSTILE) {
      const res = await anonymous.fetch(`/login?next=${next}`);
      const body = await res.text();
      // Refused as a redirect to the plain login page: the target is not in the page at all.
      expect(body, `login next=${next}`).not.toMatch(/evil\.example|javascript:/i);
      expect([302, 303, 307], `login next=${next}`).toContain(res.status);
      expectStaysOnApp(res.headers.get("location"), anonymous.baseUrl, `login next=${next}`);
    }
  });
});
