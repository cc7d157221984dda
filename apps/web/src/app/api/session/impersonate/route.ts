import { NextResponse } from "next/server";
import { redirectTo } from "~/relative-redirect";
import { cookieSecure } from "~/env";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "~/session-cookies";

export const dynamic = "force-dynamic";

/**
 * The admin app posts a short-lived impersonation token here (a top-level form POST, so the
 * token never sits in a URL or history). It becomes the access cookie; any previous refresh
 * cookie is dropped so the session cannot silently fall back to another identity.
 */
export async function POST(req: Request): Promise<Response> {
  const form = await req.formData().catch(() => null);
  const token = form?.get("token");
  const expiresAt = form?.get("expiresAt");
  if (typeof token !== "string" || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
    return NextResponse.json(
      { error: "A valid impersonation token is required." },
      { status: 400 },
    );
  }
  const expires =
    typeof expiresAt === "string" && !Number.isNaN(Date.parse(expiresAt))
      ? new Date(expiresAt)
      : new Date(Date.now() + 15 * 60_000);
  // 303: the browser follows with a GET.
  const out = redirectTo("/", 303);
  out.cookies.set(ACCESS_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: cookieSecure(),
    path: "/",
    expires,
  });
  out.cookies.delete(REFRESH_COOKIE);
  return out;
}
