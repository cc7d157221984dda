import {
  adminEnrolmentProcedure,
  createTRPCRouter,
  publicProcedure,
  superAdminProcedure,
} from "../../../trpc";
import { ZRequestPasswordResetInput, ZResetPasswordInput } from "../../auth/password-reset.schema";
import { ZRefreshInput } from "../../auth/refresh.schema";
import { ZEndSessionInput } from "../../auth/sessions.schema";
import {
  adminRequestPasswordResetHandler,
  adminResetPasswordHandler,
} from "./admin-password-reset.handler";
import {
  adminLoginHandler,
  adminLogoutHandler,
  adminMeHandler,
  adminRefreshHandler,
} from "./admin-auth.handler";
import {
  adminEndOtherSessionsHandler,
  adminEndSessionHandler,
  adminSessionsHandler,
} from "./admin-sessions.handler";
import { ZAdminLoginInput } from "./admin-auth.schema";
import {
  ZDisableTwoFactorInput,
  ZLoginSecondFactorInput,
  ZTwoFactorCodeInput,
} from "../../auth/two-factor.schema";
import {
  adminBeginTwoFactorHandler,
  adminConfirmTwoFactorHandler,
  adminDisableTwoFactorHandler,
  adminLoginSecondFactorHandler,
  adminRegenerateRecoveryCodesHandler,
  adminTwoFactorStatusHandler,
} from "./admin-two-factor.handler";

/** The admin's own second factor; status, begin and confirm stay open before they have one. */
const adminTwoFactorRouter = createTRPCRouter({
  status: adminEnrolmentProcedure.query(adminTwoFactorStatusHandler),
  begin: adminEnrolmentProcedure.mutation(adminBeginTwoFactorHandler),
  confirm: adminEnrolmentProcedure
    .input(ZTwoFactorCodeInput)
    .mutation(adminConfirmTwoFactorHandler),
  regenerateRecoveryCodes: superAdminProcedure
    .input(ZTwoFactorCodeInput)
    .mutation(adminRegenerateRecoveryCodesHandler),
  disable: superAdminProcedure.input(ZDisableTwoFactorInput).mutation(adminDisableTwoFactorHandler),
});

export const adminAuthRouter = createTRPCRouter({
  login: publicProcedure.input(ZAdminLoginInput).mutation(adminLoginHandler),
  loginSecondFactor: publicProcedure
    .input(ZLoginSecondFactorInput)
    .mutation(adminLoginSecondFactorHandler),
  refresh: publicProcedure.input(ZRefreshInput).mutation(adminRefreshHandler),
  logout: publicProcedure.input(ZRefreshInput).mutation(adminLogoutHandler),
  me: adminEnrolmentProcedure.query(adminMeHandler),
  sessions: superAdminProcedure.query(adminSessionsHandler),
  endSession: superAdminProcedure.input(ZEndSessionInput).mutation(adminEndSessionHandler),
  endOtherSessions: superAdminProcedure.mutation(adminEndOtherSessionsHandler),
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .mutation(adminRequestPasswordResetHandler),
  resetPassword: publicProcedure.input(ZResetPasswordInput).mutation(adminResetPasswordHandler),
  twoFactor: adminTwoFactorRouter,
});
