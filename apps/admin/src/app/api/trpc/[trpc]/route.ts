import { createNextRouteHandler } from "@tenantry/api";
import { getServices } from "~/server/api";

// The admin router only, on the admin host only.
const handler = createNextRouteHandler({
  services: getServices,
  surface: "admin",
  endpoint: "/api/trpc",
  tokenTransport: "cookie",
});

export { handler as GET, handler as POST };
