import { createTRPCRouter, tenantAdminProcedure } from "../../trpc";
import {
  createKeyHandler,
  keyScopesHandler,
  listKeysHandler,
  revokeKeyHandler,
} from "./keys.handler";
import { ZCreateKeyInput, ZKeyIdInput } from "./keys.schema";

export const keysRouter = createTRPCRouter({
  scopes: tenantAdminProcedure.query(keyScopesHandler),
  list: tenantAdminProcedure.query(listKeysHandler),
  create: tenantAdminProcedure.input(ZCreateKeyInput).mutation(createKeyHandler),
  revoke: tenantAdminProcedure.input(ZKeyIdInput).mutation(revokeKeyHandler),
});
