import { z } from "zod";

import { ZEmail, ZPasswordInput, ZRole } from "../shared.schema";

/** With a password the member can sign in at once; without one they get a one-time invite link. */
export const ZCreateMemberInput = z.strictObject({
  email: ZEmail,
  name: z.string().trim().min(1).max(100),
  role: ZRole.default("member"),
  password: ZPasswordInput.optional(),
});
export type TCreateMemberInput = z.infer<typeof ZCreateMemberInput>;
