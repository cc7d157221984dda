// An operator's script run in each chosen tenant's scope (the CLI's `tenants run`): one withTenant
// per tenant, so a script sees only that tenant's database and models and a suspended or deleted
// tenant is refused like any call; a bounded number at once; a failing tenant is reported, the
// others carry on. Each run is audited once per tenant as `tenant.scriptRan`.
import { fleetConcurrency, forEachBounded } from "../bounded-concurrency";
import type { AuditLog } from "../audit-log";
import type { AuditActor } from "../control-models";
import type { TenantScope } from "../tenancy-runtime";
import type { TenantRecord } from "../tenant-registry";

/** What the script's default export gets: the tenant's scope (db, conn, models). */
export interface TenantScriptContext<M = unknown> {
  tenant: { id: string; slug: string; name: string };
  db: NonNullable<TenantScope<M>["conn"]["db"]>;
  conn: TenantScope<M>["conn"];
  models: TenantScope<M>["models"];
}

export type TenantScriptResult =
  | { tenantId: string; slug: string; ok: true; result: unknown }
  | { tenantId: string; slug: string; ok: false; error: string };

export interface TenantScriptProgress {
  done: number;
  total: number;
  last: TenantScriptResult;
}

export async function runTenantScript<M>(
  deps: {
    withTenant: <T>(id: string, fn: (scope: TenantScope<M>) => Promise<T>) => Promise<T>;
    audit: AuditLog;
  },
  tenants: readonly Pick<TenantRecord, "id" | "slug">[],
  script: (ctx: TenantScriptContext<M>) => unknown,
  opts: {
    concurrency?: number;
    /** The script's name in the audit log (a file name, never a path or its contents). */
    name: string;
    onProgress?: (p: TenantScriptProgress) => void;
  },
  actor: AuditActor,
): Promise<TenantScriptResult[]> {
  const concurrency = fleetConcurrency(opts.concurrency);
  const results: TenantScriptResult[] = new Array<TenantScriptResult>(tenants.length);
  let done = 0;
  await forEachBounded(tenants, concurrency, async (t, i) => {
    let outcome: TenantScriptResult;
    try {
      const result = await deps.withTenant(t.id, async (scope) => {
        const db = scope.conn.db;
        if (!db) throw new Error("The tenant's database is not connected");
        return script({
          tenant: { id: scope.tenant.id, slug: scope.tenant.slug, name: scope.tenant.name },
          db,
          conn: scope.conn,
          models: scope.models,
        });
      });
      outcome = { tenantId: t.id, slug: t.slug, ok: true, result };
    } catch (err) {
      outcome = {
        tenantId: t.id,
        slug: t.slug,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      };
    }
    results[i] = outcome;
    await deps.audit.record({
      actor,
      action: "tenant.scriptRan",
      tenantId: t.id,
      tenantSlug: t.slug,
      details: { script: opts.name, ok: outcome.ok },
    });
    done++;
    opts.onProgress?.({ done, total: tenants.length, last: outcome });
  });
  return results;
}
