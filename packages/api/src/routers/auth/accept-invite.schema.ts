import { z } from "zod";

import { ZPasswordInput } from "../shared.schema";

export const ZAcceptInviteInput = z.strictObject({
  token: z.string().min(1).max(200),
  password: ZPasswordInput,
  name: z.string().trim().min(1).max(100).optional(),
});
export type TAcceptInviteInput = z.infer<typeof ZAcceptInviteInput>;
