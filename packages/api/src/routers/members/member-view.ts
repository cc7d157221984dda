// How a member is shown to callers, and who is acting: shared by the members handlers.
import type { MemberActor, UserDoc } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";

export function publicMember(u: UserDoc) {
  return {
    id: u._id.toString(),
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

export const memberActor = (ctx: TenantContext): MemberActor => ({
  user: ctx.user,
  impersonatedBy: ctx.impersonatedBy?.adminEmail ?? null,
  serviceAccount: ctx.serviceAccount,
});
