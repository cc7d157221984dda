import { Types } from "mongoose";

import type { ControlAuditDoc } from "../../../tenancy-port";
import { createTRPCRouter, superAdminProcedure } from "../../../trpc";
import { ZListAdminAuditInput } from "./admin-audit.schema";

export const adminAuditRouter = createTRPCRouter({
  list: superAdminProcedure.input(ZListAdminAuditInput).query(async ({ ctx, input }) => {
    const filter: Record<string, unknown> = {};
    if (input.action) filter.action = input.action;
    if (input.tenantId) filter.tenantId = new Types.ObjectId(input.tenantId);
    if (input.actor) filter["actor.email"] = input.actor;
    if (input.cursor) filter._id = { $lt: new Types.ObjectId(input.cursor) };
    const rows = await ctx.services.tenancy.control.Audit.find(filter)
      .sort({ _id: -1 })
      .limit(input.limit + 1)
      .lean<ControlAuditDoc[]>();
    const page = rows.slice(0, input.limit);
    return {
      items: page.map((a) => ({
        id: a._id.toString(),
        at: a.at,
        actor: { type: a.actor.type, id: a.actor.id ?? null, email: a.actor.email ?? null },
        action: a.action,
        tenantId: a.tenantId ? a.tenantId.toString() : null,
        tenantSlug: a.tenantSlug,
        target: a.target,
        details: a.details,
        ip: a.ip,
      })),
      nextCursor:
        rows.length > input.limit ? (page[page.length - 1]?._id.toString() ?? null) : null,
    };
  }),
});
