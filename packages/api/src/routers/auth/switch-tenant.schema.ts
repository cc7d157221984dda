import { z } from "zod";

import { ZPasswordInput, ZSlug } from "../shared.schema";

export const ZSwitchTenantInput = z.strictObject({ tenantSlug: ZSlug, password: ZPasswordInput });
export type TSwitchTenantInput = z.infer<typeof ZSwitchTenantInput>;
