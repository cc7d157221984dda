import { z } from "zod";

import { ZEmail, ZPasswordInput } from "../shared.schema";

export const ZRequestPasswordResetInput = z.strictObject({ email: ZEmail });
export type TRequestPasswordResetInput = z.infer<typeof ZRequestPasswordResetInput>;

export const ZResetPasswordInput = z.strictObject({
  token: z.string().min(1, "required").max(200),
  password: ZPasswordInput,
});
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;
