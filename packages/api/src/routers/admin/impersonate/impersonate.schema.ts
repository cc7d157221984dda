import { z } from "zod";

import { ZEmail, ZObjectId } from "../../shared.schema";

export const ZImpersonateInput = z.strictObject({
  tenantId: ZObjectId,
  userEmail: ZEmail,
  reason: z.string().trim().min(3).max(500),
  /** Impersonation is read-only unless asked for, with its own reason (both are audited). */
  writeAccess: z.strictObject({ reason: z.string().trim().min(3).max(500) }).optional(),
});
export type TImpersonateInput = z.infer<typeof ZImpersonateInput>;
