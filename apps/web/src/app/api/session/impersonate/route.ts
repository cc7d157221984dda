import { NextResponse } from "next/server";
import { COOKIE_NAMES } from "@tenantry/api/cookies";
import { redirectTo } from "@tenantry/next-kit/server";
import { cookieSecure, getEnv } from "~/env";
import { getServices } from "~/server/api";

export const dynamic = "force-dynamic";

function refuse(status: 400 | 401 | 403, reason: string, error: string): Response {
  return NextResponse.json({ error, reason }, { status });
}

/**
 * The admin app posts a short-lived impersonation token here (a top-level form POST, so the
 * token never sits in a URL or history). Only a post from the admin app's origin is taken, and
 * only a valid, unexpired tenant token carrying `imp`: otherwise any site could sign a visitor
 * into an account of its choosing. The token becomes the access cookie, living exactly as long
 * as the token; the refresh cookie is dropped, so the session cannot outlive the token or fall
 * back to another identity.
 */
export async function POST(req: Request): Promise<Response> {
  const env = getEnv();
  if (req.headers.get("origin") !== new URL(env.ADMIN_URL).origin) {
    return refuse(403, "ORIGIN", "Impersonation can only be started from the admin app.");
  }
  const form = await req.formData().catch(() => null);
  const token = form?.get("token");
  if (typeof token !== "string" || token.length === 0) {
    return refuse(400, "INVALID_INPUT", "A valid impersonation token is required.");
  }
  const { tokens } = await getServices();
  const claims = await tokens.verifyTenant(token).catch((err: unknown) => {
    const expired = (err as { reason?: unknown }).reason === "TOKEN_EXPIRED";
    return expired ? ("TOKEN_EXPIRED" as const) : ("TOKEN_INVALID" as const);
  });
  if (typeof claims === "string") {
    return refuse(
      401,
      claims,
      claims === "TOKEN_EXPIRED"
        ? "The impersonation token has expired; start again from the admin app."
        : "The impersonation token is not valid.",
    );
  }
  if (!claims.imp) {
    return refuse(401, "NOT_IMPERSONATION", "This is not an impersonation token.");
  }
  const remainingSeconds = claims.exp - Math.floor(Date.now() / 1000);
  if (remainingSeconds <= 0) {
    return refuse(401, "TOKEN_EXPIRED", "The impersonation token has expired.");
  }
  // 303: the browser follows with a GET.
  const out = redirectTo("/", 303);
  out.cookies.set(COOKIE_NAMES.app.access, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: cookieSecure(env),
    path: "/",
    maxAge: remainingSeconds,
  });
  out.cookies.delete(COOKIE_NAMES.app.refresh);
  return out;
}
