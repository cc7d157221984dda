import { API_KEY_NAME_MAX_LENGTH } from "@tenantry/tenancy/policies";
import { z } from "zod";

import { ZObjectId } from "../shared.schema";

// Scopes are checked against the registered modules by tenancy (ApiKeys.create), not listed here.
export const ZCreateKeyInput = z.strictObject({
  name: z.string().trim().min(1, "required").max(API_KEY_NAME_MAX_LENGTH),
  scopes: z.array(z.string().max(100)).min(1, "choose at least one scope").max(50),
  /** ISO date ("2027-01-31", the end of that day UTC) or date-time; unset: never expires. */
  expiresAt: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: "must be an ISO date such as 2027-01-31",
    })
    .nullish(),
});
export type TCreateKeyInput = z.infer<typeof ZCreateKeyInput>;

export const ZKeyIdInput = z.strictObject({ keyId: ZObjectId });
export type TKeyIdInput = z.infer<typeof ZKeyIdInput>;

/** A date alone means the key works through that whole day (UTC). */
export const expiryOf = (value: string | null | undefined): Date | null =>
  !value ? null : new Date(value.length === 10 ? `${value}T23:59:59.999Z` : value);
