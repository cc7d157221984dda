import { handleTrpcRequest } from "~/server/api";
import { getServices } from "~/server/services";

// The admin router only, on the admin host only.
async function handler(req: Request): Promise<Response> {
  const services = await getServices();
  return handleTrpcRequest(services, req);
}

export { handler as GET, handler as POST };
