import "server-only";
import { createPageCaller } from "@tenantry/next-kit/server";
import { getServices } from "./api";

export const { getCaller, callOrRedirect } = createPageCaller({
  surface: "app",
  getServices,
  suspendedPath: "/suspended",
});
