import { handleTrpcRequest } from "~/server/api";
import { getServices } from "~/server/services";

// The tenant-facing router only: admin procedures are never reachable through this app.
async function handler(req: Request): Promise<Response> {
  const services = await getServices();
  return handleTrpcRequest(services, req);
}

export { handler as GET, handler as POST };
