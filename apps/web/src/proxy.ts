import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { withPagePolicy } from "@tenantry/ui/security-headers";
import { policyEnv } from "./env";
import { ACCESS_COOKIE, PUBLIC_PATHS, REFRESH_COOKIE } from "./session-cookies";

// Cheap gate on cookie presence only; the api verifies tokens on every call. Every page it lets
// through gets this request's nonce policy (no inline script runs without the nonce).
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const next = encodeURIComponent(pathname + search);
  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!isPublic && !req.cookies.has(ACCESS_COOKIE)) {
    if (req.cookies.has(REFRESH_COOKIE))
      return NextResponse.redirect(new URL(`/api/session/refresh?next=${next}`, req.url));
    return NextResponse.redirect(new URL(`/login?next=${next}`, req.url));
  }
  const { requestHeaders, policy } = withPagePolicy(req.headers, policyEnv());
  // Server components learn the current path from this header (for refresh redirects).
  if (!isPublic) requestHeaders.set("x-pathname", pathname + search);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", policy);
  return res;
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|robots.txt).*)"],
};
