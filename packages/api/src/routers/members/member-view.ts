// How a member is shown to callers, and who is acting: shared by the members handlers.
import type { IssuedInvite } from "@tenantry/tenancy";
import { memberView } from "@tenantry/tenancy";
import type { MemberActor } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";

/** tenancy's one member view (never the password hash), as the admin's roster shows it too. */
export const publicMember = memberView;

export const memberActor = (ctx: TenantContext): MemberActor => ({
  user: ctx.user,
  impersonatedBy: ctx.impersonatedBy?.adminEmail ?? null,
  serviceAccount: ctx.serviceAccount,
});

/** The web app's accept page the invite links open. */
export const inviteAcceptUrl = (ctx: TenantContext): string =>
  `${(ctx.services.config.publicAppUrl ?? "http://localhost:3000").replace(/\/$/, "")}/invite`;

/** The link as its inviter sees it, once. */
export const publicInvite = (invite: IssuedInvite) => ({
  inviteUrl: invite.url,
  inviteExpiresAt: invite.expiresAt,
  emailed: invite.emailed,
});
