import { z } from "zod";

import { ZPasswordInput } from "../shared.schema";

export const ZChangePasswordInput = z.strictObject({
  currentPassword: ZPasswordInput,
  newPassword: ZPasswordInput,
});
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;
