import { Types } from "mongoose";

import type { UserDoc } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";
import { searchRegex } from "../shared.schema";
import type { TListMembersInput } from "./list.schema";
import { publicMember } from "./member-view";

export async function listMembersHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TListMembersInput;
}) {
  const filter: Record<string, unknown> = {};
  if (input.search) {
    const re = searchRegex(input.search);
    filter.$or = [{ email: re }, { name: re }];
  }
  if (input.cursor) filter._id = { $gt: new Types.ObjectId(input.cursor) };
  const rows = await ctx.tenant.models.User.find(filter)
    .sort({ _id: 1 })
    .limit(input.limit + 1)
    .lean<UserDoc[]>();
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(publicMember),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?._id.toString() ?? null) : null,
  };
}
