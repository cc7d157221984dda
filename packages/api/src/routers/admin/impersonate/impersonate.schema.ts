import { z } from "zod";

import { ZEmail, ZObjectId } from "../../shared.schema";

export const ZImpersonateInput = z.strictObject({
  tenantId: ZObjectId,
  userEmail: ZEmail,
  reason: z.string().trim().min(3).max(500),
});
export type TImpersonateInput = z.infer<typeof ZImpersonateInput>;
