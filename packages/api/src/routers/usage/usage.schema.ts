import { MAX_USAGE_DAYS } from "@tenantry/tenancy";
import { z } from "zod";

import { ZObjectId } from "../shared.schema";

const ZDays = z
  .number()
  .int()
  .min(1, "at least 1 day")
  .max(MAX_USAGE_DAYS, `at most ${MAX_USAGE_DAYS} days`)
  .default(30);

/** The caller's own tenant: no tenant id is accepted (strict), so an owner reads only their own. */
export const ZOwnUsageInput = z.strictObject({ days: ZDays }).prefault({});
export const ZTenantUsageInput = z.strictObject({ id: ZObjectId, days: ZDays });
