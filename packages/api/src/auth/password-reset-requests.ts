// How the api takes a "forgot password" request, for both apps: counted by the reset limits (per
// email, per email and address, per address), answered at once with the same words, and only then
// worked on. Whether the email has an account changes nothing the caller can see or time.
import type { ResetUrls } from "@tenantry/tenancy";

import type { Context } from "../context";
import { beginLoginAttempt } from "../routers/auth/login.handler";

export const RESET_REQUESTED_MESSAGE =
  "If an account uses that email, a link to reset its password is on its way. It works for 30 minutes.";

const base = (url: string | undefined, fallback: string) => (url ?? fallback).replace(/\/$/, "");

/** The reset pages the links open (the tenant app and the admin app). */
export function resetUrls(ctx: Context): ResetUrls {
  return {
    tenant: `${base(ctx.services.config.publicAppUrl, "http://localhost:3000")}/reset-password`,
    admin: `${base(ctx.services.config.adminAppUrl, "http://localhost:3001")}/reset-password`,
  };
}

export async function acceptResetRequest(
  ctx: Context,
  scope: "tenant-reset" | "admin-reset",
  email: string,
  send: (urls: ResetUrls) => Promise<{ sent: number }>,
): Promise<{ ok: true; message: string }> {
  const attempt = await beginLoginAttempt(ctx, scope, email);
  // Every request counts for the whole window, found or not.
  await attempt.failed();
  const urls = resetUrls(ctx);
  setImmediate(() => {
    send(urls).catch((err: unknown) =>
      ctx.services.logger.warn(
        { err: (err as Error).message, scope },
        "password-reset mail failed",
      ),
    );
  });
  return { ok: true, message: RESET_REQUESTED_MESSAGE };
}
