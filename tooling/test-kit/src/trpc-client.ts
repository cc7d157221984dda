// A typed tRPC client for arranging test data over real HTTP: `client.tenants.create.mutate(...)`
// checked against the router (AppRouter or AdminRouter from @tenantry/api), never a string path.
// The kit takes the router as a type parameter rather than importing @tenantry/api, whose own
// tests use the kit: the dependency points one way only.
import { createTRPCClient, httpLink } from "@trpc/client";
import type { TRPCClient } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import superjson from "superjson";

export interface TestClientOptions {
  /** The tRPC endpoint, e.g. `${webUrl}/api/trpc` or `${apiUrl}/admin/trpc`. */
  url: string;
  /** Sent with every call; a function is asked each time (a token that changes). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Keep the cookies the server sets and send them back, as a browser tab does. */
  cookies?: boolean;
}

/** A minimal cookie jar: name=value pairs from Set-Cookie, sent back on every request. */
function cookieKeepingFetch(): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      // An empty value or an expiry in the past is how a server deletes a cookie.
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
}

export function createTestClient<TRouter extends AnyTRPCRouter>(
  opts: TestClientOptions,
): TRPCClient<TRouter> {
  // Every Tenantry router serialises with superjson; a generic TRouter cannot show the type
  // checker that its transformer option is set, hence the cast.
  const link = httpLink({
    url: opts.url,
    transformer: superjson,
    headers: () => (typeof opts.headers === "function" ? opts.headers() : (opts.headers ?? {})),
    ...(opts.cookies ? { fetch: cookieKeepingFetch() } : {}),
  } as unknown as Parameters<typeof httpLink<TRouter>>[0]);
  return createTRPCClient<TRouter>({ links: [link] });
}
