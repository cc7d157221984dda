// Typed clients for other TypeScript programs, signed in with an API key or a person's password.
// Only router *types* come from @tenantry/api (router-types.ts), so no server code reaches a
// program or bundle that uses this package.
import type { TRPCClient } from "@trpc/client";
import { TRPCClientError, createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";

import type { AdminRouter, AppRouter } from "./router-types";
import type { Tokens } from "./token-session";
import { TokenSession } from "./token-session";

/** Tenant keys call the tenant API (`/trpc`); platform keys the super-admin API (`/admin/trpc`). */
export const API_KEY_PREFIXES = { tenant: "tnk_", platform: "tnp_" } as const;

export interface TenantryApiKeyOptions {
  /** Base URL of the API server (e.g. http://127.0.0.1:4000); "/trpc" is appended unless present. */
  url: string;
  /**
   * A service account's key: `tnk_...` for createTenantryClient, `tnp_...` for
   * createTenantryAdminClient. Sent as `Authorization: Bearer <key>` on every call and never
   * refreshed: a refused key (revoked, expired, suspended tenant) fails the call with a
   * TRPCClientError whose `data.code` is "UNAUTHORIZED" and `data.reason` says why.
   */
  apiKey: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

export interface TenantryClientOptions {
  /** Base URL of the API server (e.g. http://127.0.0.1:4000); "/trpc" is appended unless present. */
  url: string;
  /** An access token to start with (e.g. an impersonation token or one kept from a previous run). */
  token?: string;
  refreshToken?: string;
  /** Names the tenant (x-tenant header); the server refuses calls whose token is for another tenant. */
  tenantSlug?: string;
  /** Called with every new token pair, e.g. to persist it between runs. */
  onTokens?: (tokens: Tokens) => void;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
  /** Refresh this long before the access token expires (default 30 s); 0 = only when refused. */
  refreshSkewMs?: number;
  apiKey?: never;
}

export type TenantryAdminClientOptions = Omit<TenantryClientOptions, "tenantSlug">;

/**
 * Whether a call failed with an answer from the API (or could not reach it), typed with the API's
 * error data: `err.data?.code` ("UNAUTHORIZED", "BAD_REQUEST", ...) and `err.data?.reason`.
 */
export function isTenantryError(err: unknown): err is TRPCClientError<AppRouter> {
  return err instanceof TRPCClientError;
}

function endpoint(url: string, path: "/trpc" | "/admin/trpc"): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith(path) ? base : `${base}${path}`;
}

function linkOptions(url: string, opts: TenantryClientOptions, session: TokenSession | null) {
  const extra = {
    ...(opts.headers ?? {}),
    ...(opts.tenantSlug ? { "x-tenant": opts.tenantSlug } : {}),
  };
  return {
    url,
    transformer: superjson,
    headers: () => extra,
    fetch: session ? session.fetch : (opts.fetch ?? globalThis.fetch),
  };
}

function isKeyOptions(opts: object): opts is TenantryApiKeyOptions {
  return "apiKey" in opts && opts.apiKey !== undefined;
}

/** Link options for a client whose every call carries the key (the server names the tenant). */
function keyLinkOptions(
  path: "/trpc" | "/admin/trpc",
  prefix: string,
  opts: TenantryApiKeyOptions,
) {
  if (!opts.apiKey.startsWith(prefix)) {
    const other =
      prefix === API_KEY_PREFIXES.tenant ? "createTenantryAdminClient" : "createTenantryClient";
    throw new TypeError(
      `This API key does not start with "${prefix}", the prefix this client needs; another kind of key belongs to ${other}`,
    );
  }
  const headers = { ...(opts.headers ?? {}), authorization: `Bearer ${opts.apiKey}` };
  return {
    url: endpoint(opts.url, path),
    transformer: superjson,
    headers: () => headers,
    fetch: opts.fetch ?? globalThis.fetch,
  };
}

/** Attaches helper methods to a tRPC client proxy (router keys and helper names never overlap). */
function withHelpers<C extends object, H extends object>(client: C, helpers: H): C & H {
  return new Proxy(helpers, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver) as unknown;
      return (client as Record<string | symbol, unknown>)[prop];
    },
  }) as C & H;
}

export interface TenantryClientHelpers {
  /** Signs in; on success keeps the tokens. An email in several tenants gets `chooseTenant`. */
  login(input: {
    email: string;
    password: string;
    tenantSlug?: string;
  }): ReturnType<TRPCClient<AppRouter>["auth"]["login"]["mutate"]>;
  /**
   * The code step when `login` answered `secondFactor`: its challenge and a code from the
   * authenticator app (or a recovery code); keeps the tokens.
   */
  loginSecondFactor(input: {
    challenge: string;
    code: string;
  }): ReturnType<TRPCClient<AppRouter>["auth"]["loginSecondFactor"]["mutate"]>;
  /** Revokes the session on the server and forgets the tokens. */
  logout(): Promise<void>;
  /** Rotates the refresh token now (normally automatic). */
  refresh(): Promise<void>;
  getTokens(): Tokens;
  setTokens(tokens: Tokens): void;
}

export type TenantryClient = TRPCClient<AppRouter> & TenantryClientHelpers;
/** Signed in with an API key: the procedures only (no login, no tokens to keep). */
export type TenantryKeyClient = TRPCClient<AppRouter>;

/** The token session both clients share: initial tokens and options from the caller. */
function createTokenSession(
  opts: TenantryAdminClientOptions,
  refresh: (refreshToken: string) => Promise<Tokens>,
): TokenSession {
  return new TokenSession({
    initial: { accessToken: opts.token ?? null, refreshToken: opts.refreshToken ?? null },
    ...(opts.onTokens ? { onTokens: opts.onTokens } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.refreshSkewMs !== undefined ? { skewMs: opts.refreshSkewMs } : {}),
    refresh,
  });
}

/** A tenant API client: `{ url, apiKey: "tnk_..." }`, or `{ url }` and then `login()`. */
export function createTenantryClient(opts: TenantryApiKeyOptions): TenantryKeyClient;
export function createTenantryClient(opts: TenantryClientOptions): TenantryClient;
export function createTenantryClient(
  opts: TenantryApiKeyOptions | TenantryClientOptions,
): TenantryKeyClient | TenantryClient {
  if (isKeyOptions(opts))
    return createTRPCClient<AppRouter>({
      links: [httpLink(keyLinkOptions("/trpc", API_KEY_PREFIXES.tenant, opts))],
    });
  const url = endpoint(opts.url, "/trpc");
  const bare = createTRPCClient<AppRouter>({ links: [httpLink(linkOptions(url, opts, null))] });
  const session = createTokenSession(opts, async (refreshToken) => {
    const res = await bare.auth.refresh.mutate({ refreshToken });
    return { accessToken: res.accessToken, refreshToken: res.refreshToken };
  });
  const client = createTRPCClient<AppRouter>({
    links: [httpLink(linkOptions(url, opts, session))],
  });
  return withHelpers(client, {
    async login(input) {
      const res = await bare.auth.login.mutate(input);
      if (res.status === "ok")
        session.set({ accessToken: res.accessToken, refreshToken: res.refreshToken });
      return res;
    },
    async loginSecondFactor(input) {
      const res = await bare.auth.loginSecondFactor.mutate(input);
      session.set({ accessToken: res.accessToken, refreshToken: res.refreshToken });
      return res;
    },
    async logout() {
      const { refreshToken } = session.get();
      await client.auth.logout.mutate(refreshToken ? { refreshToken } : {}).catch(() => undefined);
      session.clear();
    },
    refresh: () => session.refresh(),
    getTokens: () => session.get(),
    setTokens: (tokens) => session.set(tokens),
  } satisfies TenantryClientHelpers);
}

export interface TenantryAdminClientHelpers {
  login(input: {
    email: string;
    password: string;
  }): ReturnType<TRPCClient<AdminRouter>["auth"]["login"]["mutate"]>;
  /** The code step when `login` answered `secondFactor`; keeps the tokens. */
  loginSecondFactor(input: {
    challenge: string;
    code: string;
  }): ReturnType<TRPCClient<AdminRouter>["auth"]["loginSecondFactor"]["mutate"]>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
  getTokens(): Tokens;
  setTokens(tokens: Tokens): void;
}

export type TenantryAdminClient = TRPCClient<AdminRouter> & TenantryAdminClientHelpers;
export type TenantryAdminKeyClient = TRPCClient<AdminRouter>;

/** A super-admin API client: `{ url, apiKey: "tnp_..." }`, or `{ url }` and then `login()`. */
export function createTenantryAdminClient(opts: TenantryApiKeyOptions): TenantryAdminKeyClient;
export function createTenantryAdminClient(opts: TenantryAdminClientOptions): TenantryAdminClient;
export function createTenantryAdminClient(
  opts: TenantryApiKeyOptions | TenantryAdminClientOptions,
): TenantryAdminKeyClient | TenantryAdminClient {
  if (isKeyOptions(opts))
    return createTRPCClient<AdminRouter>({
      links: [httpLink(keyLinkOptions("/admin/trpc", API_KEY_PREFIXES.platform, opts))],
    });
  const url = endpoint(opts.url, "/admin/trpc");
  const bare = createTRPCClient<AdminRouter>({ links: [httpLink(linkOptions(url, opts, null))] });
  const session = createTokenSession(opts, async (refreshToken) => {
    const res = await bare.auth.refresh.mutate({ refreshToken });
    return { accessToken: res.accessToken, refreshToken: res.refreshToken };
  });
  const client = createTRPCClient<AdminRouter>({
    links: [httpLink(linkOptions(url, opts, session))],
  });
  return withHelpers(client, {
    async login(input) {
      const res = await bare.auth.login.mutate(input);
      if (res.status === "ok")
        session.set({ accessToken: res.accessToken, refreshToken: res.refreshToken });
      return res;
    },
    async loginSecondFactor(input) {
      const res = await bare.auth.loginSecondFactor.mutate(input);
      session.set({ accessToken: res.accessToken, refreshToken: res.refreshToken });
      return res;
    },
    async logout() {
      const { refreshToken } = session.get();
      await client.auth.logout.mutate(refreshToken ? { refreshToken } : {}).catch(() => undefined);
      session.clear();
    },
    refresh: () => session.refresh(),
    getTokens: () => session.get(),
    setTokens: (tokens) => session.set(tokens),
  } satisfies TenantryAdminClientHelpers);
}
