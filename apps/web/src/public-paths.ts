/** Pages a signed-out visitor may open. */
export const PUBLIC_PATHS = [
  "/login",
  "/suspended",
  "/invite",
  "/session/refresh",
  "/forgot-password",
  "/reset-password",
];
