// "Forgot password?" and the reset page of the admin app; tenancy's passwordResets holds the rules.
import { acceptResetRequest } from "../../../auth/password-reset-requests";
import type { Context } from "../../../context";
import type {
  TRequestPasswordResetInput,
  TResetPasswordInput,
} from "../../auth/password-reset.schema";

export const adminRequestPasswordResetHandler = ({
  ctx,
  input,
}: {
  ctx: Context;
  input: TRequestPasswordResetInput;
}) =>
  acceptResetRequest(ctx, "admin-reset", input.email, (urls) =>
    ctx.services.tenancy.passwordResets.requestForAdmin(input.email, urls),
  );

export async function adminResetPasswordHandler({
  ctx,
  input,
}: {
  ctx: Context;
  input: TResetPasswordInput;
}) {
  const done = await ctx.services.tenancy.passwordResets.resetAdminPassword(
    input.token,
    input.password,
  );
  return { ok: true as const, email: done.email };
}
