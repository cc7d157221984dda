import { Types } from "mongoose";

import type { TenantAuditDoc } from "../../tenancy-port";
import { requireTenantAdmin } from "../../auth/tenant-guard";
import type { TenantContext } from "../../trpc";
import type { TListTenantAuditInput } from "./audit.schema";

export async function listTenantAuditHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TListTenantAuditInput;
}) {
  const filter: Record<string, unknown> = {};
  if (input.action) filter.action = input.action;
  if (input.cursor) filter._id = { $lt: new Types.ObjectId(input.cursor) };
  const rows = await ctx.tenant.models.Audit.find(filter)
    .sort({ _id: -1 })
    .limit(input.limit + 1)
    .lean<TenantAuditDoc[]>();
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(publicAuditEntry),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?._id.toString() ?? null) : null,
  };
}

/** Entries one export answers at most; older ones stay in the paged list. */
const EXPORT_MAX_ENTRIES = 10_000;

export async function exportTenantAuditHandler({ ctx }: { ctx: TenantContext }) {
  requireTenantAdmin(ctx.user);
  const rows = await ctx.tenant.models.Audit.find({})
    .sort({ _id: -1 })
    .limit(EXPORT_MAX_ENTRIES)
    .lean<TenantAuditDoc[]>();
  return { exportedAt: new Date(), items: rows.map(publicAuditEntry) };
}

function publicAuditEntry(a: TenantAuditDoc) {
  return {
    id: a._id.toString(),
    at: a.at,
    actor: {
      id: a.actorId,
      email: a.actorEmail,
      type: a.actorType ?? "user",
      name: a.actorName ?? null,
    },
    impersonatedBy: a.impersonatedBy,
    action: a.action,
    target: a.target,
    details: a.details,
  };
}
