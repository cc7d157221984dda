import "server-only";
import { createPageCaller } from "@tenantry/next-kit/server";
import { getServices } from "./api";

export const { callOrRedirect } = createPageCaller({
  surface: "admin",
  getServices,
});
