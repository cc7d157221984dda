// Issue 13 item 13 (audit G01): the Content-Security-Policy of both apps allows no inline script
// ('unsafe-inline' is gone). A rendered page carries a fresh nonce per response and every script
// Next renders into it carries that nonce; everything else (API answers, static files,
// redirects) runs no inline script at all. A browser run of the same pages (no CSP violation,
// signing in works) is in apps/web/e2e/security.spec.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppSession, AppsStack } from "./apps-stack";
import { AppSession as Session, startSignedInStack } from "./apps-stack";

let stack: AppsStack;
let web: AppSession;
let admin: AppSession;

beforeAll(async () => {
  ({ stack, admin, web } = await startSignedInStack("apps-csp", "csp-co"));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

function scriptSrc(res: Response): string[] {
  const csp = res.headers.get("content-security-policy") ?? "";
  // Two CSP headers would arrive joined by a comma, and a browser enforces both.
  expect(csp, "exactly one policy").not.toContain(",");
  const directive = csp
    .split(";")
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === "script-src");
  return directive?.slice(1) ?? [];
}

/** The page's policy allows its own nonce only, and every <script> in it carries that nonce. */
async function expectNoncedPage(res: Response, what: string): Promise<string> {
  expect(res.status, what).toBe(200);
  const sources = scriptSrc(res);
  expect(sources, what).not.toContain("'unsafe-inline'");
  expect(sources, what).not.toContain("'unsafe-eval'");
  const nonce = sources.map((s) => /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(s)?.[1]).find(Boolean);
  expect(nonce, `${what}: script-src ${sources.join(" ")} has a nonce`).toBeTruthy();
  const html = await res.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, `${what}: the page has scripts`).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, what).toContain(`nonce="${nonce}"`);
  return nonce ?? "";
}

describe.each([
  ["web", () => web, "/"],
  ["admin", () => admin, "/tenants"],
] as const)("%s app", (_name, session, signedInPage) => {
  it("pages carry a per-response nonce policy without 'unsafe-inline', and every script the nonce", async () => {
    const anonymous = new Session(session().baseUrl);
    const a = await expectNoncedPage(await anonymous.fetch("/login"), "login page");
    const b = await expectNoncedPage(await anonymous.fetch("/login"), "login page again");
    expect(a).not.toBe(b);
    await expectNoncedPage(await session().fetch(signedInPage), `signed-in ${signedInPage}`);
  });

  it("API answers, static files and redirects allow no inline script at all", async () => {
    const anonymous = new Session(session().baseUrl);
    const login = await (await anonymous.fetch("/login")).text();
    const asset = /\/_next\/static\/[^"']+\.js/.exec(login)?.[0] ?? "";
    expect(asset).not.toBe("");
    const responses = {
      "static script": await anonymous.fetch(asset),
      "API answer": await anonymous.fetch("/api/trpc/auth.me"),
      "sign-in redirect": await anonymous.fetch(signedInPage),
    };
    expect(responses["static script"].status).toBe(200);
    expect(responses["API answer"].status).toBe(401);
    expect([302, 307]).toContain(responses["sign-in redirect"].status);
    for (const [what, res] of Object.entries(responses))
      expect(scriptSrc(res), what).toEqual(["'self'"]);
  });
});
