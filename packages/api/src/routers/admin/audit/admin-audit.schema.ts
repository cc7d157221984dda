import { z } from "zod";

import { ZEmail, ZLimit, ZObjectId } from "../../shared.schema";

export const ZListAdminAuditInput = z
  .strictObject({
    action: z
      .string()
      .regex(/^[A-Za-z.]{1,60}$/, "letters and dots, such as tenant.suspended")
      .optional(),
    tenantId: ZObjectId.optional(),
    /** An id, an exact slug or the start of a name, any case; tenancy resolves it. */
    tenant: z.string().trim().min(1).max(100).optional(),
    actor: ZEmail.optional(),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, "must be the nextCursor of an earlier page")
      .optional(),
    limit: ZLimit,
  })
  .optional()
  .default({ limit: 20 });
