import { NextResponse } from "next/server";

/**
 * A redirect with a relative Location. Behind `next start` a route handler's req.url names
 * "localhost" whatever host the browser used, and an absolute redirect there would leave the
 * host the session cookies belong to.
 */
export function redirectTo(path: string, status: 302 | 303 | 307 = 307): NextResponse {
  return new NextResponse(null, { status, headers: { location: path } });
}
