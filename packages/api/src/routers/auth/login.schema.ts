import { z } from "zod";

import { ZEmail, ZPasswordInput, ZSlug } from "../shared.schema";

export const ZLoginInput = z.strictObject({
  email: ZEmail,
  password: ZPasswordInput,
  tenantSlug: ZSlug.optional(),
});
export type TLoginInput = z.infer<typeof ZLoginInput>;
