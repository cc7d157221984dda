import { z } from "zod";

/** A 6-digit code from the authenticator app, or a recovery code ("ABCD-EFGH-…"). */
const ZSecondFactorCode = z.string().trim().min(6).max(40);

export const ZTwoFactorCodeInput = z.strictObject({ code: ZSecondFactorCode });
export type TTwoFactorCodeInput = z.infer<typeof ZTwoFactorCodeInput>;

/** Turning it off takes a current code (or a recovery code) or the account's password. */
export const ZDisableTwoFactorInput = z
  .strictObject({
    code: ZSecondFactorCode.optional(),
    password: z.string().min(1).max(256).optional(),
  })
  .refine((v) => Boolean(v.code) !== Boolean(v.password), "give a code or your password");
export type TDisableTwoFactorInput = z.infer<typeof ZDisableTwoFactorInput>;

/** The second step of a sign-in: the challenge the password step returned, and a code. */
export const ZLoginSecondFactorInput = z.strictObject({
  challenge: z.string().min(1).max(200),
  code: ZSecondFactorCode,
});
export type TLoginSecondFactorInput = z.infer<typeof ZLoginSecondFactorInput>;
