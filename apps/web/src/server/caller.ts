import "server-only";
import { createPageCaller } from "@tenantry/next-kit/server";
import { getServices } from "./api";

export const { getCaller, callOrRedirect } = createPageCaller({
  surface: "app",
  getServices,
  suspendedPath: "/suspended",
  // An organisation that requires two-factor sign-in holds a member without one on its set-up.
  enrolPath: "/two-factor-setup",
});
