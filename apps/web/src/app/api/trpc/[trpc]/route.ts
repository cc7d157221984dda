import { createNextRouteHandler } from "@tenantry/api";
import { getServices } from "~/server/api";

// The tenant-facing router only: admin procedures are never reachable through this app.
const handler = createNextRouteHandler({
  services: getServices,
  surface: "app",
  endpoint: "/api/trpc",
  tokenTransport: "cookie",
});

export { handler as GET, handler as POST };
