import { z } from "zod";

/** Programs pass the refresh token; browsers send it as the httpOnly cookie and omit it. */
export const ZRefreshInput = z
  .strictObject({ refreshToken: z.string().min(1).max(200).optional() })
  .optional()
  .default({});
export type TRefreshInput = z.infer<typeof ZRefreshInput>;
