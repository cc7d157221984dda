import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { ACCESS_COOKIE, PUBLIC_PATHS, REFRESH_COOKIE } from "./session-cookies";

// Cheap gate on cookie presence only; the api verifies tokens on every call.
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`)))
    return NextResponse.next();
  const next = encodeURIComponent(pathname + search);
  if (req.cookies.has(ACCESS_COOKIE)) {
    // Server components learn the current path from this header (for refresh redirects).
    const headers = new Headers(req.headers);
    headers.set("x-pathname", pathname + search);
    return NextResponse.next({ request: { headers } });
  }
  if (req.cookies.has(REFRESH_COOKIE)) {
    return NextResponse.redirect(new URL(`/session/refresh?next=${next}`, req.url));
  }
  return NextResponse.redirect(new URL(`/login?next=${next}`, req.url));
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|robots.txt).*)"],
};
