// Cookie names fixed by the api contract (docs/package-interfaces.md); distinct from the web
// app's so an admin session and a tenant session never overwrite each other on localhost.
export const ACCESS_COOKIE = "tenantry_admin_at";
export const REFRESH_COOKIE = "tenantry_admin_rt";
/** Paths a signed-out visitor may open. */
export const PUBLIC_PATHS = ["/login", "/session/refresh"];
