// Typed clients for other TypeScript programs. Only router *types* come from @tenantry/api
// (`import type`), so no server code reaches a program or bundle that uses this package.
import type { AdminRouter, AppRouter } from "@tenantry/api";
import type { TRPCClient } from "@trpc/client";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";

import type { Tokens } from "./token-session";
import { TokenSession } from "./token-session";

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
  /** Revokes the session on the server and forgets the tokens. */
  logout(): Promise<void>;
  /** Rotates the refresh token now (normally automatic). */
  refresh(): Promise<void>;
  getTokens(): Tokens;
  setTokens(tokens: Tokens): void;
}

export type TenantryClient = TRPCClient<AppRouter> & TenantryClientHelpers;

/** The token session both clients share: initial tokens and options from the caller. */
function createTokenSession(
  opts: Omit<TenantryClientOptions, "tenantSlug">,
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

export function createTenantryClient(opts: TenantryClientOptions): TenantryClient {
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
  logout(): Promise<void>;
  refresh(): Promise<void>;
  getTokens(): Tokens;
  setTokens(tokens: Tokens): void;
}

export type TenantryAdminClient = TRPCClient<AdminRouter> & TenantryAdminClientHelpers;

export function createTenantryAdminClient(
  opts: Omit<TenantryClientOptions, "tenantSlug">,
): TenantryAdminClient {
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
