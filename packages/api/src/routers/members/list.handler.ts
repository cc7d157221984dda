import type { TenantContext } from "../../trpc";
import type { TListMembersInput } from "./list.schema";
import { publicMember } from "./member-view";

/** Transport only: tenancy's members.list reads the page. */
export async function listMembersHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TListMembersInput;
}) {
  const page = await ctx.services.tenancy.members.list(ctx.tenant, input);
  return { items: page.items.map(publicMember), nextCursor: page.nextCursor };
}
