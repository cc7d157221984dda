import { z } from "zod";

import { ZPasswordInput } from "../shared.schema";

const ZInviteToken = z.string().min(1).max(200);

export const ZInviteDetailsInput = z.strictObject({ token: ZInviteToken });
export type TInviteDetailsInput = z.infer<typeof ZInviteDetailsInput>;

export const ZAcceptInviteInput = z.strictObject({
  token: ZInviteToken,
  password: ZPasswordInput,
  name: z.string().trim().min(1).max(100).optional(),
});
export type TAcceptInviteInput = z.infer<typeof ZAcceptInviteInput>;

export const ZAcceptInviteWithAccountInput = z.strictObject({ token: ZInviteToken });
export type TAcceptInviteWithAccountInput = z.infer<typeof ZAcceptInviteWithAccountInput>;
