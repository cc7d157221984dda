import { z } from "zod";

import { ZPasswordInput, ZSlug } from "../shared.schema";

/** `password`: only for an organisation that asks for its own (PASSWORD_REQUIRED without it). */
export const ZSwitchTenantInput = z.strictObject({
  tenantSlug: ZSlug,
  password: ZPasswordInput.optional(),
});
export type TSwitchTenantInput = z.infer<typeof ZSwitchTenantInput>;
