// The stack every api-*.test.ts file starts: embedded-mongo and the standalone API server as child
// processes (tests/reliability's helpers), plus the web and admin apps' tRPC route handlers
// (createNextRouteHandler, as apps/*/src/server/api.ts mount it) served over real HTTP by a small
// Node server that does what the apps' launcher (`tenantry-next-serve`, packages/api/bin) does
// before a route handler runs: without TRUST_PROXY it sets X-Forwarded-For to the socket's address.
// (apps-client-ip.test.ts checks the launcher itself, in front of the production builds.)
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

import { createApiServices, createNextRouteHandler } from "@tenantry/api";
import type { ApiServices, ApiServicesConfig } from "@tenantry/api";
import type { ApiChild, MongoChild } from "@tenantry/reliability/child-processes";
import { startApiChild, startMongoChild } from "@tenantry/reliability/child-processes";
import type { Deployment, TenantSeed } from "@tenantry/reliability/tenant-fixtures";
import {
  ADMIN,
  OWNER_PASSWORD,
  apiEnv,
  createAdmin,
  newDeployment,
  openTenancy,
  provisionTenants,
} from "@tenantry/reliability/tenant-fixtures";
import type { CallOptions, CallResult, Surface } from "@tenantry/reliability/trpc-over-http";
import { callProcedure, expectOk } from "@tenantry/reliability/trpc-over-http";
import type { Tenancy } from "@tenantry/tenancy";
import pino from "pino";

export { ADMIN, OWNER_PASSWORD };
export type { CallResult, TenantSeed };

/** A Next app's tRPC route, served like `tenantry-next-serve` serves it. */
interface NextApp {
  url: string;
  services: ApiServices;
  call(
    type: "query" | "mutation",
    path: string,
    input: unknown,
    opts?: CallOptions,
  ): Promise<CallResult>;
  close(): Promise<void>;
}

async function serveNextApp(
  surface: Surface,
  services: ApiServices,
): Promise<Omit<NextApp, "call"> & { surface: Surface }> {
  const handler = createNextRouteHandler({ services, surface, endpoint: "/api/trpc" });
  const server = createServer((req, res) => {
    // What tenantry-next-serve does before any route handler sees the request.
    if (!services.config.trustProxy) req.headers["x-forwarded-for"] = req.socket.remoteAddress;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) for (const item of v) headers.append(k, item);
      else if (v !== undefined) headers.set(k, v);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
    });
    void handler(request).then(
      async (response) => {
        const out: Record<string, string | string[]> = {};
        response.headers.forEach((v, k) => (out[k] = v));
        const cookies = response.headers.getSetCookie();
        if (cookies.length) out["set-cookie"] = cookies;
        const payload = Buffer.from(await response.arrayBuffer());
        // A body the handler stopped reading (413) leaves the socket unusable for the next request.
        if (!req.complete) out.connection = "close";
        res.writeHead(response.status, out);
        res.end(payload, () => {
          if (!req.complete) req.destroy();
        });
      },
      (err: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    surface,
    url: `http://127.0.0.1:${port}`,
    services,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface Stack {
  mongo: MongoChild;
  deployment: Deployment;
  /** The test's own tenancy on the same databases (fixtures, direct checks). */
  tenancy: Tenancy;
  /** The standalone API server (its real entry), TRUST_PROXY on: bearer tokens in bodies. */
  api: ApiChild;
  /** apps/web's handler, cookies only, behind a trusted proxy (TRUST_PROXY). */
  web: NextApp;
  /** apps/admin's handler, cookies only, no trusted proxy: the client IP is the socket's. */
  admin: NextApp;
  tenants: TenantSeed[];
  adminToken: string;
  /** A call to the standalone API (`/trpc` or `/admin/trpc`). */
  apiCall(
    surface: Surface,
    type: "query" | "mutation",
    path: string,
    input: unknown,
    opts?: CallOptions,
  ): Promise<CallResult>;
  stop(): Promise<void>;
}

/** Calls as a browser page of the app would: CSRF header on, cookies as given. */
function appCaller(app: Omit<NextApp, "call"> & { surface: Surface }): NextApp["call"] {
  return (type, path, input, opts = {}) =>
    callProcedure(app.url, app.surface, type, path, input, {
      ...opts,
      endpoint: "/api/trpc",
      headers: { "x-tenantry-csrf": "1", ...opts.headers },
    });
}

export async function startStack(
  opts: {
    tenants?: number;
    services?: Partial<ApiServicesConfig>;
    /** More variables for the standalone API server (e.g. METRICS_TOKEN). */
    apiEnv?: Record<string, string>;
  } = {},
): Promise<Stack> {
  const mongo = await startMongoChild();
  const deployment = newDeployment(mongo.uri);
  const tenancy = await openTenancy(deployment, { registryRefreshMs: 50 });
  await createAdmin(tenancy);
  const tenants = await provisionTenants(tenancy, opts.tenants ?? 2, { prefix: "sec" });
  // One retry: on a loaded machine the server's start-up ping of the control database can time out.
  const env = apiEnv(deployment, { TRUST_PROXY: "true", ...opts.apiEnv });
  const api = await startApiChild(env).catch(() => startApiChild(env));
  const servicesFor = (trustProxy: boolean) =>
    createApiServices({
      tenancy,
      jwt: { secret: deployment.jwtSecret, issuer: "tenantry", audience: "tenantry-api" },
      cookies: { secure: false },
      trustProxy,
      logger: pino({ level: "silent" }),
      // The one admin signs in many times a minute; a code works once per 30-second step.
      adminTwoFactor: "optional",
      ...opts.services,
    });
  const web = await serveNextApp("app", await servicesFor(true));
  const admin = await serveNextApp("admin", await servicesFor(false));
  const apiCall: Stack["apiCall"] = (surface, type, path, input, callOpts) =>
    callProcedure(api.url, surface, type, path, input, callOpts);
  const adminToken = (
    await expectOk<{ accessToken: string }>(
      apiCall("admin", "mutation", "auth.login", ADMIN, {
        headers: { "x-forwarded-for": "198.51.100.200" },
      }),
      "admin login",
    )
  ).accessToken;
  return {
    mongo,
    deployment,
    tenancy,
    api,
    web: { ...web, call: appCaller(web) },
    admin: { ...admin, call: appCaller(admin) },
    tenants,
    adminToken,
    apiCall,
    async stop() {
      await Promise.all([web.close(), admin.close(), api.stop()]);
      await tenancy.shutdown().catch(() => undefined);
      await mongo.stop();
    },
  };
}

/** `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookiesOf(r: CallResult): string {
  return r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => !c.endsWith("="))
    .join("; ");
}

/** Runs `n` calls at once; returns their results in order. */
export function inParallel(n: number, call: (i: number) => Promise<CallResult>) {
  return Promise.all(Array.from({ length: n }, (_, i) => call(i)));
}

/** How many results carry each reason (null: success). */
export function reasons(results: CallResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok ? "ok" : (r.reason ?? `${r.status}`);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
