import { Types } from "mongoose";

import type { TenantAuditDoc } from "../../tenancy-port";
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
    items: page.map((a) => ({
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
    })),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?._id.toString() ?? null) : null,
  };
}
