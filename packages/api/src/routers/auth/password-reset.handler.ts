// "Forgot password?" and the reset page of the tenant app; tenancy's passwordResets holds the rules.
import { acceptResetRequest } from "../../auth/password-reset-requests";
import type { Context } from "../../context";
import type { TRequestPasswordResetInput, TResetPasswordInput } from "./password-reset.schema";

export const requestPasswordResetHandler = ({
  ctx,
  input,
}: {
  ctx: Context;
  input: TRequestPasswordResetInput;
}) =>
  acceptResetRequest(ctx, "tenant-reset", input.email, (urls) =>
    ctx.services.tenancy.passwordResets.requestForEmail(input.email, urls),
  );

export async function resetPasswordHandler({
  ctx,
  input,
}: {
  ctx: Context;
  input: TResetPasswordInput;
}) {
  try {
    const done = await ctx.services.tenancy.passwordResets.resetTenantPassword(
      input.token,
      input.password,
    );
    return { ok: true as const, email: done.email, tenant: done.tenant };
  } finally {
    // Sessions ended: no instance may keep trusting a cached check of them.
    const tenantId = /^([a-f0-9]{24})\./.exec(input.token)?.[1];
    if (tenantId) ctx.services.authChecks.invalidate(tenantId);
  }
}
