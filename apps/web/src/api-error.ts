import { describeApiError } from "@tenantry/ui";
import type { ApiErrorInfo } from "@tenantry/ui";

/** describeApiError for tenant users: the organisation's state is told as "organisation". */
export const describeError = (err: unknown): ApiErrorInfo =>
  describeApiError(err, { tenantFacing: true });
