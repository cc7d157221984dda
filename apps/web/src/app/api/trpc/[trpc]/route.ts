import { createTrpcRoute } from "@tenantry/next-kit/server";
import { getServices } from "~/server/api";

// The tenant-facing router only: admin procedures are never reachable through this app.
const handler = createTrpcRoute({ surface: "app", getServices });

export { handler as GET, handler as POST };
