import { createRefreshRoute } from "@tenantry/next-kit/server";
import { getServices } from "~/server/api";

export const dynamic = "force-dynamic";

export const POST = createRefreshRoute({ surface: "admin", getServices });
