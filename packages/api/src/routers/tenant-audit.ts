// The tenant's own audit log (tenant database): member and settings changes, sign-ins.
import { recordTenantAudit as record } from "@tenantry/tenancy";

import type { TenantContext } from "../trpc";
import { memberActor } from "./members/member-view";

export async function recordTenantAudit(
  ctx: TenantContext,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await record(ctx.tenant, memberActor(ctx), action, target, details);
}
