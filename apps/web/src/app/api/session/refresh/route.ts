import { redirectTo } from "~/relative-redirect";
import { safeNext } from "@tenantry/ui/safe-next";
import { handleTrpcRequest } from "~/server/api";
import { getServices } from "~/server/services";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "~/session-cookies";

export const dynamic = "force-dynamic";

/**
 * Pages land here when the access token is missing or expired: rotate the refresh token through
 * the api (which sets fresh cookies) and go back, or go to the login page with cookies cleared.
 */
// POST only (a GET is answered 405 by Next): rotating the token changes state. /session/refresh
// is the page that submits here; a cross-site form post carries no SameSite=Lax cookie and fails.
export async function POST(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const form = await req.formData().catch(() => null);
  const posted = form?.get("next");
  const next = safeNext(typeof posted === "string" ? posted : undefined);
  const services = await getServices();
  const inner = new Request(new URL("/api/trpc/auth.refresh", url), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      cookie: req.headers.get("cookie") ?? "",
      "x-tenantry-csrf": "1",
      "user-agent": req.headers.get("user-agent") ?? "",
      "x-forwarded-for": req.headers.get("x-forwarded-for") ?? "",
    },
    body: JSON.stringify({ json: {} }),
  });
  const res = await handleTrpcRequest(services, inner);
  if (res.ok) {
    const out = redirectTo(next, 303);
    for (const c of res.headers.getSetCookie()) out.headers.append("set-cookie", c);
    return out;
  }
  const body = (await res.json().catch(() => null)) as {
    error?: { json?: { data?: { reason?: string } } };
  } | null;
  if (body?.error?.json?.data?.reason === "TENANT_SUSPENDED") return redirectTo("/suspended", 303);
  const out = redirectTo(`/login?next=${encodeURIComponent(next)}`, 303);
  out.cookies.delete(ACCESS_COOKIE);
  out.cookies.delete(REFRESH_COOKIE);
  return out;
}
