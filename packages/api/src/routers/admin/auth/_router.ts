import { createTRPCRouter, publicProcedure, superAdminProcedure } from "../../../trpc";
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

export const adminAuthRouter = createTRPCRouter({
  login: publicProcedure.input(ZAdminLoginInput).mutation(adminLoginHandler),
  refresh: publicProcedure.input(ZRefreshInput).mutation(adminRefreshHandler),
  logout: publicProcedure.input(ZRefreshInput).mutation(adminLogoutHandler),
  me: superAdminProcedure.query(adminMeHandler),
  sessions: superAdminProcedure.query(adminSessionsHandler),
  endSession: superAdminProcedure.input(ZEndSessionInput).mutation(adminEndSessionHandler),
  endOtherSessions: superAdminProcedure.mutation(adminEndOtherSessionsHandler),
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .mutation(adminRequestPasswordResetHandler),
  resetPassword: publicProcedure.input(ZResetPasswordInput).mutation(adminResetPasswordHandler),
});
