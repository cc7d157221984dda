import { createTrpcRoute } from "@tenantry/next-kit/server";
import { getServices } from "~/server/api";

// The admin router only, on the admin host only.
const handler = createTrpcRoute({ surface: "admin", getServices });

export { handler as GET, handler as POST };
