import { z } from "zod";

import { ZCursor, ZEmail, ZLimit, ZObjectId } from "../../shared.schema";

export const ZListAdminAuditInput = z
  .strictObject({
    action: z
      .string()
      .regex(/^[A-Za-z.]{1,60}$/)
      .optional(),
    tenantId: ZObjectId.optional(),
    actor: ZEmail.optional(),
    cursor: ZCursor.optional(),
    limit: ZLimit,
  })
  .optional()
  .default({ limit: 20 });
