// Checks shared by both apps' security specs: response headers, session cookie flags and the
// CSRF gate, all over real HTTP against the `next start` servers of the e2e stack.
import { expect, request } from "@playwright/test";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { randomBytes } from "node:crypto";

import { freePort } from "@tenantry/test-kit";

import { insecureCookiesBuild } from "./env";
import { startApp } from "./stack";

/** The e2e stack runs `NODE_ENV=production` with INSECURE_COOKIES=true (plain http on loopback). */
export const STACK_INSECURE_COOKIES = true;

/** Every security header the apps promise, with the directives a browser enforces. */
async function expectSecurityHeaders(res: APIResponse, extraFormAction?: string, page = false) {
  const h = res.headers();
  const csp = h["content-security-policy"] ?? "";
  const directives = new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k ?? "", v]),
  );
  expect(directives.get("default-src")).toEqual(["'self'"]);
  // No 'unsafe-inline' (and no eval in a production build): a page runs only the scripts that
  // carry its per-request nonce; API answers, files and redirects run none.
  const scripts = directives.get("script-src") ?? [];
  if (page)
    expect(scripts).toEqual([
      "'self'",
      expect.stringMatching(/^'nonce-[\w+/=]{16,}'$/),
      "'strict-dynamic'",
    ]);
  else expect(scripts).toEqual(["'self'"]);
  expect(csp, "one policy, not two").not.toContain(",");
  expect(directives.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
  expect(directives.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
  expect(directives.get("connect-src")).toEqual(["'self'"]);
  expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
  expect(directives.get("base-uri")).toEqual(["'self'"]);
  expect(directives.get("object-src")).toEqual(["'none'"]);
  const formAction = directives.get("form-action") ?? [];
  expect(formAction[0]).toBe("'self'");
  if (extraFormAction)
    expect(
      formAction.some((src) => sourceAllows(src, extraFormAction)),
      `form-action ${formAction.join(" ")} allows ${extraFormAction}`,
    ).toBe(true);
  else expect(formAction).toEqual(["'self'"]);
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["x-powered-by"]).toBeUndefined();
  // HSTS is fixed at `next build` (Next bakes headers() into the routes manifest): present unless
  // the build ran with INSECURE_COOKIES=true, the same environment this test process runs in.
  if (insecureCookiesBuild()) expect(h["strict-transport-security"]).toBeUndefined();
  else expect(h["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
}

/** Whether a CSP host source (`http://host:port` or `http://host:*`) lets a form post to `origin`. */
function sourceAllows(source: string, origin: string): boolean {
  const m = /^(https?):\/\/([^:/]+)(?::(\d+|\*))?$/.exec(source);
  if (!m) return false;
  const target = new URL(origin);
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  return (
    `${m[1]}:` === target.protocol &&
    m[2] === target.hostname &&
    (m[3] === "*" || (m[3] ?? (m[1] === "https" ? "443" : "80")) === port)
  );
}

/** Fetches a page, an API response and a static asset of one app, and checks each one's headers. */
export async function expectHeadersEverywhere(baseURL: string, extraFormAction?: string) {
  const ctx = await request.newContext({ baseURL });
  try {
    const login = await ctx.get("/login");
    expect(login.status()).toBe(200);
    await expectSecurityHeaders(login, extraFormAction, true);
    const asset = (await login.text()).match(/\/_next\/static\/[^"']+\.js/)?.[0];
    expect(asset, "login page references a script bundle").toBeTruthy();
    const js = await ctx.get(asset ?? "");
    expect(js.status()).toBe(200);
    await expectSecurityHeaders(js, extraFormAction);
    const api = await ctx.get("/api/trpc/auth.me");
    expect(api.status()).toBe(401);
    await expectSecurityHeaders(api, extraFormAction);
    const redirect = await ctx.get("/", { maxRedirects: 0 });
    expect([302, 303, 307, 308]).toContain(redirect.status());
    await expectSecurityHeaders(redirect, extraFormAction);
  } finally {
    await ctx.dispose();
  }
}

/** Parses the Set-Cookie lines of a response into name -> attribute list (lower-case). */
export function setCookies(res: APIResponse): Map<string, { value: string; attrs: string[] }> {
  const out = new Map<string, { value: string; attrs: string[] }>();
  for (const { name, value } of res.headersArray()) {
    if (name.toLowerCase() !== "set-cookie") continue;
    const [pair = "", ...attrs] = value.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    out.set(pair.slice(0, eq), {
      value: pair.slice(eq + 1),
      attrs: attrs.map((a) => a.toLowerCase()),
    });
  }
  return out;
}

/** Session cookies: HttpOnly, SameSite=Lax, and Secure exactly when the server runs secure cookies. */
export function expectSessionCookie(
  cookies: ReturnType<typeof setCookies>,
  name: string,
  secure: boolean,
) {
  const c = cookies.get(name);
  expect(c, `${name} is set`).toBeTruthy();
  expect(c?.value.length).toBeGreaterThan(10);
  expect(c?.attrs).toContain("httponly");
  expect(c?.attrs).toContain("samesite=lax");
  expect(c?.attrs.includes("secure")).toBe(secure);
}

/** POSTs a tRPC mutation with exactly the given headers (cookies come from the context). */
export function rawMutation(
  ctx: APIRequestContext,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
) {
  return ctx.post(`/api/trpc/${path}`, {
    data: { json: input },
    headers: { "content-type": "application/json", ...headers },
  });
}

export async function errorReason(res: APIResponse): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { json?: { data?: { reason?: string } } } };
  return body.error?.json?.data?.reason;
}

/**
 * A second built web server in plain production mode (no INSECURE_COOKIES) on a free port, on the
 * stack's database, to see the cookie flags a real deployment sends. Stopped by PID group.
 */
export async function startProductionWeb(
  mongoUri: string,
  logFile: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startApp(
    "web",
    port,
    {
      NODE_ENV: "production",
      // Explicitly off, whatever this test process runs with: what a real deployment sends.
      INSECURE_COOKIES: "false",
      MONGODB_URI: mongoUri,
      // Fresh secrets: this server only needs to sign its own tokens.
      JWT_SECRET: randomBytes(48).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      WEB_URL: url,
    },
    logFile,
  );
  return { url, stop: () => server.stop() };
}
