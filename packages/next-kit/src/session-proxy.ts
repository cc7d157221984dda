// The proxy (Next's middleware) both apps run in front of their pages: a cheap gate on session
// cookie presence (the api verifies tokens on every call), the refusal of a foreign next= on the
// login page, and the per-request nonce policy every page it lets through gets (no inline script
// runs without the nonce; see @tenantry/ui/security-headers).
// Imports stay light (the cookie names, not the api): this runs on every page request.
import { COOKIE_NAMES } from "@tenantry/api/cookies";
import type { Surface } from "@tenantry/api/cookies";
import { hasRefusedNext } from "@tenantry/ui/safe-next";
import { withPagePolicy } from "@tenantry/ui/security-headers";
import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";

import { isPublicPath } from "./public-paths";

export interface SessionProxyOptions {
  /** Whose session cookies gate the pages: the tenant app's or the admin app's. */
  surface: Surface;
  /** Paths a signed-out visitor may open. */
  publicPaths: string[];
  /** What the page policy depends on (read per request, as the app's env module gives it). */
  policyEnv: () => Record<string, string | undefined>;
  formAction?: (env: Record<string, string | undefined>) => string;
}

export function createSessionProxy(opts: SessionProxyOptions): (req: NextRequest) => NextResponse {
  const cookies = COOKIE_NAMES[opts.surface];
  return (req) => {
    const { pathname, search } = req.nextUrl;
    if (pathname === "/login" && hasRefusedNext(req.nextUrl)) {
      // Dropped before the page renders, so the target never reaches the sign-in form.
      const clean = req.nextUrl.clone();
      clean.searchParams.delete("next");
      return NextResponse.redirect(clean);
    }
    const isPublic = isPublicPath(opts.publicPaths, pathname);
    if (!isPublic && !req.cookies.has(cookies.access)) {
      const next = encodeURIComponent(pathname + search);
      const to = req.cookies.has(cookies.refresh) ? "/session/refresh" : "/login";
      return NextResponse.redirect(new URL(`${to}?next=${next}`, req.url));
    }
    const env = opts.policyEnv();
    const { requestHeaders, policy } = withPagePolicy(
      req.headers,
      env,
      opts.formAction ? { formAction: opts.formAction(env) } : {},
    );
    // Server components learn the current path from this header (for refresh redirects).
    if (!isPublic) requestHeaders.set("x-pathname", pathname + search);
    const res = NextResponse.next({ request: { headers: requestHeaders } });
    res.headers.set("content-security-policy", policy);
    return res;
  };
}
