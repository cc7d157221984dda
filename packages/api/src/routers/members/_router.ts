import {
  accountProcedure,
  createTRPCRouter,
  tenantAdminProcedure,
  tenantProcedure,
} from "../../trpc";
import { createMemberHandler } from "./create.handler";
import { ZCreateMemberInput } from "./create.schema";
import { pendingInvitesHandler, resendInviteHandler, revokeInviteHandler } from "./invites.handler";
import { listMembersHandler } from "./list.handler";
import { ZListMembersInput } from "./list.schema";
import {
  changeRoleHandler,
  deactivateHandler,
  leaveHandler,
  reactivateHandler,
  removeHandler,
  sendPasswordResetHandler,
  transferOwnershipHandler,
} from "./member-changes.handler";
import { ZChangeRoleInput, ZMemberTargetInput } from "./member-target.schema";

export const membersRouter = createTRPCRouter({
  list: tenantAdminProcedure.input(ZListMembersInput).query(listMembersHandler),
  create: tenantAdminProcedure.input(ZCreateMemberInput).mutation(createMemberHandler),
  changeRole: tenantAdminProcedure.input(ZChangeRoleInput).mutation(changeRoleHandler),
  deactivate: tenantAdminProcedure.input(ZMemberTargetInput).mutation(deactivateHandler),
  reactivate: tenantAdminProcedure.input(ZMemberTargetInput).mutation(reactivateHandler),
  remove: tenantAdminProcedure.input(ZMemberTargetInput).mutation(removeHandler),
  sendPasswordReset: tenantAdminProcedure
    .input(ZMemberTargetInput)
    .mutation(sendPasswordResetHandler),
  pendingInvites: tenantAdminProcedure.query(pendingInvitesHandler),
  resendInvite: tenantAdminProcedure.input(ZMemberTargetInput).mutation(resendInviteHandler),
  revokeInvite: tenantAdminProcedure.input(ZMemberTargetInput).mutation(revokeInviteHandler),
  // Any signed-in user, about their own membership; tenancy refuses the last owner.
  leave: accountProcedure.mutation(leaveHandler),
  // tenancy checks the caller is an owner (403 otherwise) and the target (400).
  transferOwnership: tenantProcedure.input(ZMemberTargetInput).mutation(transferOwnershipHandler),
});
