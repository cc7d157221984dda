import { createTRPCRouter, publicProcedure, superAdminProcedure } from "../../../trpc";
import { ZRequestPasswordResetInput, ZResetPasswordInput } from "../../auth/password-reset.schema";
import { ZRefreshInput } from "../../auth/refresh.schema";
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
import { ZAdminLoginInput } from "./admin-auth.schema";

export const adminAuthRouter = createTRPCRouter({
  login: publicProcedure.input(ZAdminLoginInput).mutation(adminLoginHandler),
  refresh: publicProcedure.input(ZRefreshInput).mutation(adminRefreshHandler),
  logout: publicProcedure.input(ZRefreshInput).mutation(adminLogoutHandler),
  me: superAdminProcedure.query(adminMeHandler),
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .mutation(adminRequestPasswordResetHandler),
  resetPassword: publicProcedure.input(ZResetPasswordInput).mutation(adminResetPasswordHandler),
});
