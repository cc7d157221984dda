// Tenant API keys: tenancy's ApiKeys use cases hold the rules (who manages keys, scopes, hashing,
// audit); the api shapes the answers and forgets this instance's cached key checks on revoke.
import type { TenantContext } from "../../trpc";
import { memberActor } from "../members/member-view";
import type { TCreateKeyInput, TKeyIdInput } from "./keys.schema";
import { expiryOf } from "./keys.schema";

type H<I> = { ctx: TenantContext; input: I };

const apiKeys = (ctx: TenantContext) => ctx.services.tenancy.apiKeys;

export const keyScopesHandler = ({ ctx }: { ctx: TenantContext }) => ({
  scopes: apiKeys(ctx).scopes,
});

export const listKeysHandler = async ({ ctx }: { ctx: TenantContext }) => ({
  items: await apiKeys(ctx).list(ctx.tenant, memberActor(ctx)),
});

/** The only answer that ever carries the secret. */
export const createKeyHandler = async ({ ctx, input }: H<TCreateKeyInput>) =>
  apiKeys(ctx).create(ctx.tenant, memberActor(ctx), {
    name: input.name,
    scopes: input.scopes,
    expiresAt: expiryOf(input.expiresAt),
  });

export const revokeKeyHandler = async ({ ctx, input }: H<TKeyIdInput>) => {
  try {
    return { key: await apiKeys(ctx).revoke(ctx.tenant, memberActor(ctx), input.keyId) };
  } finally {
    ctx.services.keyChecks.invalidate(ctx.tenant.tenant.id);
  }
};
