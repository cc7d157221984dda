// Bounds every tRPC surface shares (Next route handlers, the standalone server, the clients'
// batch links). No imports: browser bundles import this file through `@tenantry/api/limits`.

/** Most calls one batched request may carry; the clients' `httpBatchLink({ maxItems })` match it. */
export const MAX_BATCH_SIZE = 20;

/** Largest request body a tRPC route reads; larger ones answer 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Spread into `fetchRequestHandler({ ... })` of any server that mounts the routers. */
export const TRPC_HANDLER_LIMITS = { maxBatchSize: MAX_BATCH_SIZE } as const;

/**
 * Procedures that verify a password or mint tokens. They are refused inside a batch of more than
 * one call (one guess, one rotation per request), so clients send them on an unbatched link.
 */
export const SOLO_PROCEDURES: readonly string[] = [
  "auth.login",
  "auth.refresh",
  "auth.changePassword",
  "auth.switchTenant",
  "auth.acceptInvite",
  "auth.acceptInviteWithAccount",
  "auth.loginSecondFactor",
  "auth.twoFactor.disable",
  "auth.twoFactor.regenerateRecoveryCodes",
];
