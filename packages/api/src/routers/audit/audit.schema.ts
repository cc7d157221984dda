import { z } from "zod";

import { ZCursor, ZLimit } from "../shared.schema";

export const ZListTenantAuditInput = z
  .strictObject({
    cursor: ZCursor.optional(),
    limit: ZLimit,
    action: z
      .string()
      .regex(/^[A-Za-z.]{1,60}$/)
      .optional(),
  })
  .optional()
  .default({ limit: 20 });
export type TListTenantAuditInput = z.infer<typeof ZListTenantAuditInput>;
