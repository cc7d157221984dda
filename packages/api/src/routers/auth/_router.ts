import {
  accountProcedure,
  createTRPCRouter,
  enrolmentProcedure,
  publicProcedure,
  tenantProcedure,
} from "../../trpc";
import {
  acceptInviteHandler,
  acceptInviteWithAccountHandler,
  inviteDetailsHandler,
} from "./accept-invite.handler";
import {
  ZAcceptInviteInput,
  ZAcceptInviteWithAccountInput,
  ZInviteDetailsInput,
} from "./accept-invite.schema";
import { changePasswordHandler } from "./change-password.handler";
import { ZChangePasswordInput } from "./change-password.schema";
import { loginHandler } from "./login.handler";
import { ZLoginInput } from "./login.schema";
import { logoutHandler } from "./logout.handler";
import { meHandler } from "./me.handler";
import { requestPasswordResetHandler, resetPasswordHandler } from "./password-reset.handler";
import { ZRequestPasswordResetInput, ZResetPasswordInput } from "./password-reset.schema";
import { refreshHandler } from "./refresh.handler";
import { ZRefreshInput } from "./refresh.schema";
import { endOtherSessionsHandler, endSessionHandler, sessionsHandler } from "./sessions.handler";
import { ZEndSessionInput } from "./sessions.schema";
import { organisationsHandler, switchTenantHandler } from "./switch-tenant.handler";
import { ZSwitchTenantInput } from "./switch-tenant.schema";
import {
  beginTwoFactorHandler,
  confirmTwoFactorHandler,
  disableTwoFactorHandler,
  loginSecondFactorHandler,
  regenerateRecoveryCodesHandler,
  twoFactorStatusHandler,
} from "./two-factor.handler";
import {
  ZDisableTwoFactorInput,
  ZLoginSecondFactorInput,
  ZTwoFactorCodeInput,
} from "./two-factor.schema";

/** The member's own second factor; status, begin and confirm stay open to one who must enrol. */
const twoFactorRouter = createTRPCRouter({
  status: enrolmentProcedure.query(twoFactorStatusHandler),
  begin: enrolmentProcedure.mutation(beginTwoFactorHandler),
  confirm: enrolmentProcedure.input(ZTwoFactorCodeInput).mutation(confirmTwoFactorHandler),
  regenerateRecoveryCodes: accountProcedure
    .input(ZTwoFactorCodeInput)
    .mutation(regenerateRecoveryCodesHandler),
  disable: accountProcedure.input(ZDisableTwoFactorInput).mutation(disableTwoFactorHandler),
});

export const authRouter = createTRPCRouter({
  login: publicProcedure.input(ZLoginInput).mutation(loginHandler),
  loginSecondFactor: publicProcedure
    .input(ZLoginSecondFactorInput)
    .mutation(loginSecondFactorHandler),
  refresh: publicProcedure.input(ZRefreshInput).mutation(refreshHandler),
  logout: publicProcedure.input(ZRefreshInput).mutation(logoutHandler),
  me: enrolmentProcedure.query(meHandler),
  changePassword: accountProcedure.input(ZChangePasswordInput).mutation(changePasswordHandler),
  sessions: accountProcedure.query(sessionsHandler),
  endSession: accountProcedure.input(ZEndSessionInput).mutation(endSessionHandler),
  endOtherSessions: accountProcedure.mutation(endOtherSessionsHandler),
  organisations: tenantProcedure.query(organisationsHandler),
  switchTenant: accountProcedure.input(ZSwitchTenantInput).mutation(switchTenantHandler),
  // A mutation, not a query: the token is a secret and a query would carry it in the URL.
  inviteDetails: publicProcedure.input(ZInviteDetailsInput).mutation(inviteDetailsHandler),
  acceptInvite: publicProcedure.input(ZAcceptInviteInput).mutation(acceptInviteHandler),
  // Signed in elsewhere with the invited email: join without choosing a password here.
  acceptInviteWithAccount: accountProcedure
    .input(ZAcceptInviteWithAccountInput)
    .mutation(acceptInviteWithAccountHandler),
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .mutation(requestPasswordResetHandler),
  resetPassword: publicProcedure.input(ZResetPasswordInput).mutation(resetPasswordHandler),
  twoFactor: twoFactorRouter,
});
