// Integration-test harness: a real embedded-mongo server over TCP (or TEST_MONGODB_URI), real
// tenancy, the real standalone HTTP server on an ephemeral port, and typed tRPC clients.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";

import { createTenancy } from "@tenantry/tenancy";
import type { Tenancy, TenancyConfig } from "@tenantry/tenancy";
import { TEST_HASHING, createTestClient, startTestDatabase, uniqueName } from "@tenantry/test-kit";
import { TRPCClientError } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import pino from "pino";

import { APP_MODULES } from "../src/app-modules";
import type { AppModule } from "../src/module-kit";
import type { AdminRouter, AppRouter } from "../src/root";
import { appRouter } from "../src/root";
import type { ApiServices, ApiServicesConfig } from "../src/services";
import { createApiServices } from "../src/services";
import { createStandaloneServer } from "../src/server/http-server";

export const JWT = {
  secret: randomBytes(32).toString("hex"),
  issuer: "tenantry-test",
  audience: "tenantry-api",
};
export const ADMIN = { email: "root@tenantry.test", password: "Sup3r-Admin-Passw0rd!" };
export const OWNER_PASSWORD = "Correct-Horse-42-Battery!";
export const ENCRYPTION_KEY = randomBytes(32).toString("base64");

export interface Instance {
  url: string;
  tenancy: Tenancy;
  services: ApiServices;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The app under test: its tenant modules and the router composed from them. */
export interface HarnessApp {
  modules: readonly AppModule[];
  appRouter: AnyTRPCRouter;
}
const DEFAULT_APP: HarnessApp = { modules: APP_MODULES, appRouter };

export async function startInstance(
  uri: string,
  controlDbName: string,
  overrides: Partial<ApiServicesConfig> = {},
  tenancyOverrides: Partial<TenancyConfig> = {},
  app: HarnessApp = DEFAULT_APP,
): Promise<Instance> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split("\n"))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = pino({ level: "info" }, sink);
  const tenancy = await createTenancy({
    modules: app.modules,
    controlUri: uri,
    controlDbName,
    encryptionKey: ENCRYPTION_KEY,
    passwordHashing: TEST_HASHING,
    registryRefreshMs: 100,
    ...tenancyOverrides,
  });
  const services = await createApiServices({
    tenancy,
    jwt: JWT,
    cookies: { secure: false },
    publicAppUrl: "http://app.tenantry.test",
    firstAdmin: ADMIN,
    logger,
    // Suites sign the one admin in many times a minute; two-factor.integration.test.ts turns it on.
    adminTwoFactor: "optional",
    ...overrides,
  });
  await services.ensureFirstAdmin();
  const server = createStandaloneServer({ services, appRouter: app.appRouter });
  const { url } = await server.listen(0);
  return {
    url,
    tenancy,
    services,
    logs,
    async close() {
      await server.close();
      await tenancy.shutdown({ timeoutMs: 1000 });
    },
  };
}

export function appClient(
  url: string,
  token?: string | (() => string | undefined),
  headers: Record<string, string> = {},
) {
  return routerClient<AppRouter>(url, token, headers);
}

/** appClient for another app's router (one composed with other modules). */
export function routerClient<R extends AnyTRPCRouter>(
  url: string,
  token?: string | (() => string | undefined),
  headers: Record<string, string> = {},
) {
  return createTestClient<R>({
    url: `${url}/trpc`,
    headers: () => {
      const t = typeof token === "function" ? token() : token;
      return { ...headers, ...(t ? { authorization: `Bearer ${t}` } : {}) };
    },
  });
}

/** A sign-in that must finish at its password step (no second factor): the "ok" result. */
export async function signedIn<T extends { status: string }>(
  p: Promise<T>,
): Promise<Extract<T, { status: "ok" }>> {
  const res = await p;
  if (res.status !== "ok") throw new Error(`sign-in stopped at "${res.status}"`);
  return res as Extract<T, { status: "ok" }>;
}

export function adminClient(url: string, token?: string) {
  return createTestClient<AdminRouter>({
    url: `${url}/admin/trpc`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

export interface Harness extends Instance {
  uri: string;
  controlDbName: string;
  adminToken: string;
  admin: ReturnType<typeof adminClient>;
  /** Provisions a tenant through the admin API and returns its id and a signed-in owner client. */
  tenant(slug: string, extraOwner?: { email?: string }): Promise<TenantFixture>;
  /** The raw bytes of a database's journal file, the control one by default (`journal` harness). */
  journal(dbName?: string): Buffer;
  stop(): Promise<void>;
}

export interface TenantFixture {
  id: string;
  slug: string;
  ownerEmail: string;
  token: string;
  refreshToken: string;
  client: ReturnType<typeof appClient>;
}

export async function startHarness(
  overrides: Partial<ApiServicesConfig> = {},
  app: HarnessApp = DEFAULT_APP,
  tenancyOverrides: Partial<TenancyConfig> = {},
  database: { journal?: boolean } = {},
): Promise<Harness> {
  // With `journal`, an embedded server of its own that writes its journals to a temporary folder,
  // so a test can read what reached the disk (journal()).
  const dbPath = database.journal ? mkdtempSync(path.join(tmpdir(), "api-journal-")) : null;
  const mongo = await startTestDatabase(dbPath ? { embedded: true, server: { dbPath } } : {});
  const controlDbName = uniqueName("ctl");
  const instance = await startInstance(mongo.uri, controlDbName, overrides, tenancyOverrides, app);
  const login = await signedIn(adminClient(instance.url).auth.login.mutate(ADMIN));
  const adminToken = login.accessToken ?? "";
  const admin = adminClient(instance.url, adminToken);
  return {
    ...instance,
    uri: mongo.uri,
    controlDbName,
    adminToken,
    admin,
    async tenant(slug, extra = {}) {
      const ownerEmail = extra.email ?? `owner@${slug}.test`;
      const created = await admin.tenants.create.mutate({
        slug,
        name: `Tenant ${slug}`,
        owner: { email: ownerEmail, name: `Owner of ${slug}`, password: OWNER_PASSWORD },
      });
      const res = await appClient(instance.url).auth.login.mutate({
        email: ownerEmail,
        password: OWNER_PASSWORD,
        tenantSlug: slug,
      });
      if (res.status !== "ok" || !res.accessToken || !res.refreshToken)
        throw new Error("owner login failed");
      return {
        id: created.id,
        slug,
        ownerEmail,
        token: res.accessToken,
        refreshToken: res.refreshToken,
        client: appClient(instance.url, res.accessToken),
      };
    },
    journal(dbName = controlDbName) {
      if (!dbPath) throw new Error("start the harness with { journal: true } to read its journal");
      // One append-only file per database (embedded-mongo's journal.ts): every write ever made.
      return readFileSync(path.join(dbPath, `${dbName}.journal`));
    },
    async stop() {
      await instance.close();
      await mongo.stop();
      if (dbPath) rmSync(dbPath, { recursive: true, force: true });
    },
  };
}

/** The tRPC error's code and machine reason, for assertions. */
export async function failure(p: Promise<unknown>): Promise<{
  code: string;
  reason: string | null;
  httpStatus: number;
  message: string;
  data: Record<string, unknown>;
}> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCClientError) {
      const data = (err.data ?? {}) as Record<string, unknown>;
      return {
        code: String(data.code),
        reason: (data.reason as string | null) ?? null,
        httpStatus: Number(data.httpStatus),
        message: err.message,
        data,
      };
    }
    throw err;
  }
  throw new Error("expected the call to fail, it succeeded");
}
