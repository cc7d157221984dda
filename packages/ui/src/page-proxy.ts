// The proxy (Next's middleware) both apps run in front of their pages: a cheap gate on session
// cookie presence (the api verifies tokens on every call), the refusal of a foreign next= on the
// login page, and the per-request nonce policy every page it lets through gets (no inline script
// runs without the nonce; see security-headers.ts).
import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";

import { hasRefusedNext } from "./safe-next";
import { withPagePolicy } from "./security-headers";

export interface PageProxyOptions {
  accessCookie: string;
  refreshCookie: string;
  /** Paths a signed-out visitor may open. */
  publicPaths: string[];
  /** What the page policy depends on (read per request, as the app's env module gives it). */
  policyEnv: () => Record<string, string | undefined>;
  formAction?: (env: Record<string, string | undefined>) => string;
}

export function createPageProxy(opts: PageProxyOptions): (req: NextRequest) => NextResponse {
  return (req) => {
    const { pathname, search } = req.nextUrl;
    if (pathname === "/login" && hasRefusedNext(req.nextUrl)) {
      // Dropped before the page renders, so the target never reaches the sign-in form.
      const clean = req.nextUrl.clone();
      clean.searchParams.delete("next");
      return NextResponse.redirect(clean);
    }
    const isPublic = opts.publicPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`));
    if (!isPublic && !req.cookies.has(opts.accessCookie)) {
      const next = encodeURIComponent(pathname + search);
      const to = req.cookies.has(opts.refreshCookie) ? "/session/refresh" : "/login";
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
