// Cookie names fixed by the api contract (docs/package-interfaces.md).
export const ACCESS_COOKIE = "tenantry_at";
export const REFRESH_COOKIE = "tenantry_rt";
/** Paths a signed-out visitor may open. */
export const PUBLIC_PATHS = ["/login", "/suspended", "/invite", "/session/refresh"];
