import { refuse } from "../../api-errors";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import type { UserDoc } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";
import { recordTenantAudit } from "../tenant-audit";
import type { TCreateMemberInput } from "./create.schema";
import { addMembership } from "./directory-sync";
import { createInvite } from "./invites";
import { publicMember } from "./list.handler";

export async function createMemberHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TCreateMemberInput;
}) {
  if (input.role === "owner" && ctx.user.role !== "owner") {
    throw refuse("FORBIDDEN", "FORBIDDEN_ROLE", "Only an owner can add another owner");
  }
  if (input.password) {
    const weakness = passwordWeakness(input.password, input.email);
    if (weakness) throw refuse("BAD_REQUEST", "WEAK_PASSWORD", weakness);
  }
  const { User } = ctx.tenant.models;
  if (await User.exists({ email: input.email })) {
    throw refuse("CONFLICT", "CONFLICT", "A member with this email already exists");
  }
  const passwordHash = input.password ? await ctx.services.passwords.hash(input.password) : null;
  const created = await User.create({
    email: input.email,
    name: input.name,
    role: input.role,
    passwordHash,
    status: input.password ? "active" : "invited",
  });
  const user = created.toObject() as UserDoc;
  await addMembership(ctx.services.tenancy, ctx.tenant, user.email, user.role, user._id.toString());
  let inviteUrl: string | null = null;
  let inviteExpiresAt: Date | null = null;
  if (!input.password) {
    const invite = await createInvite(ctx.tenant, user._id);
    const base = (ctx.services.config.publicAppUrl ?? "").replace(/\/$/, "");
    inviteUrl = `${base}/invite#token=${invite.token}`;
    inviteExpiresAt = invite.expiresAt;
  }
  await recordTenantAudit(
    ctx,
    input.password ? "members.create" : "members.invite",
    user._id.toString(),
    {
      email: user.email,
      role: user.role,
    },
  );
  return { member: publicMember(user), inviteUrl, inviteExpiresAt };
}
