// Plans at work: a tenant's effective limits and features (catalogue + its overrides), the checks
// the write paths call (seats, module items, storage), the usage report owners see, and the one
// use case that changes a tenant's plan (audited as `tenant.plan.changed`).
import { LRUCache } from "lru-cache";
import type { Connection } from "mongoose";
import { Types } from "mongoose";
import { z } from "zod";

import type { AuditActor, ControlModels, TenantDoc } from "./control-models";
import type { AuditLog } from "./audit-log";
import type { EventOutbox } from "./events/outbox";
import type { LimitUsage } from "./errors";
import {
  FeatureNotInPlan,
  InvalidInput,
  QuotaExceeded,
  StorageReadOnly,
  TenantNotFound,
} from "./errors";
import type { PlanFeature, PlanName } from "./policies/plans";
import {
  CORE_LIMITS,
  LIMIT_NAME_PATTERN,
  PLANS,
  PLAN_NAMES,
  USAGE_WARNING_RATIO,
  limitOf,
  normalizeOverrides,
  planHasFeature,
} from "./policies/plans";
import { parseOrThrow } from "./provision";
import type { AnyTenantModule } from "./tenant-module";
import { countItems, countedModules } from "./tenant-module";
import type { UserStatus } from "./tenant-models";
import type { TenantRecord, TenantRegistry } from "./tenant-registry";
import { toTenantRecord } from "./tenant-registry";
import type { TenantScope } from "./tenancy-runtime";

/**
 * dbStats is not free (the server walks every collection), so one measurement per tenant serves
 * every write for this long; a tenant can outgrow its storage by what it writes in that window.
 */
export const STORAGE_USAGE_TTL_MS = 30_000;

/** Members holding a seat: everyone who can sign in or is invited to. */
const SEAT_STATUSES: UserStatus[] = ["active", "invited"];

export interface LimitReport extends LimitUsage {
  /** used / max (1 when max is 0). */
  ratio: number;
  /** At or over USAGE_WARNING_RATIO of the limit. */
  warning: boolean;
  /** Storage: over the limit (read-only). Items: no room for one more. */
  reached: boolean;
}

export interface UsageReport {
  plan: PlanName;
  features: PlanFeature[];
  limits: LimitReport[];
  /** Over its storage limit: reads only. */
  readOnly: boolean;
}

export interface PlanChange {
  plan: PlanName;
  /** A number sets the override, null removes it (back to the plan's value); absent keeps it. */
  limits?: Record<string, number | null>;
}

const planChangeSchema = z.strictObject({
  plan: z.enum(PLAN_NAMES),
  limits: z
    .record(
      z.string().regex(LIMIT_NAME_PATTERN, "a limit name"),
      z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
    )
    .optional(),
});

export class TenantPlans {
  /**
   * Measured database sizes by tenant id: numbers, never promises. A promise made inside a
   * tenant's scope carries that scope (AsyncLocalStorage) for as long as it is kept, and with it
   * the tenant's connection and models, so a cache of promises kept evicted handles alive.
   */
  private readonly storage: LRUCache<string, number>;
  /** Measurements under way, shared by concurrent writes; each is removed once it settles. */
  private readonly measuring = new Map<string, Promise<number>>();

  constructor(
    private readonly control: ControlModels,
    private readonly registry: TenantRegistry,
    private readonly audit: AuditLog,
    private readonly modules: readonly AnyTenantModule[],
    private readonly events: EventOutbox,
    private readonly controlConn: Connection,
  ) {
    this.storage = new LRUCache({ max: 50_000, ttl: STORAGE_USAGE_TTL_MS });
  }

  /** The limit names a tenant can have: the core limits and every counted module's name. */
  limitNames(): string[] {
    return [...CORE_LIMITS, ...countedModules(this.modules).map((m) => m.name)];
  }

  limit(tenant: TenantRecord, name: string): number {
    return limitOf(tenant.plan, tenant.limits, name);
  }

  /** FEATURE_NOT_IN_PLAN unless the tenant's plan includes the feature. */
  assertFeature(tenant: TenantRecord, feature: PlanFeature): void {
    if (!planHasFeature(tenant.plan, feature)) throw new FeatureNotInPlan(feature, tenant.plan);
  }

  /** QUOTA_EXCEEDED when one more seat would pass the limit (call before adding a member). */
  async assertSeatFree(scope: TenantScope): Promise<void> {
    await this.assertRoom(scope, "seats", () => this.seats(scope));
  }

  /** QUOTA_EXCEEDED when one more of the module's items would pass its limit. */
  async assertItemRoom(scope: TenantScope, module: AnyTenantModule): Promise<void> {
    if (module.countedModel === undefined) return;
    await this.assertRoom(scope, module.name, () => countItems(scope.models, module));
  }

  /** STORAGE_LIMIT_READ_ONLY when the tenant database is over its storage limit. */
  async assertWritable(scope: TenantScope): Promise<void> {
    const max = this.limit(scope.tenant, "storageBytes");
    const used = await this.storageBytes(scope);
    if (used > max) throw new StorageReadOnly({ limit: "storageBytes", used, max });
  }

  /** Usage against every enforced limit (members, storage, counted modules). */
  async usage(scope: TenantScope): Promise<UsageReport> {
    const { tenant } = scope;
    const measured: [string, Promise<number>][] = [
      ["seats", this.seats(scope)],
      ["storageBytes", this.storageBytes(scope)],
      ...countedModules(this.modules).map((m): [string, Promise<number>] => [
        m.name,
        countItems(scope.models, m),
      ]),
    ];
    const limits = await Promise.all(
      measured.map(async ([limit, used]) => report(limit, await used, this.limit(tenant, limit))),
    );
    const storage = limits.find((l) => l.limit === "storageBytes");
    return {
      plan: tenant.plan,
      features: [...PLANS[tenant.plan].features],
      limits,
      readOnly: storage ? storage.used > storage.max : false,
    };
  }

  /** Changes the plan and overrides; audited as `tenant.plan.changed` with before and after. */
  async setPlan(id: string, rawChange: PlanChange, actor: AuditActor): Promise<TenantRecord> {
    const change = parseOrThrow(planChangeSchema, rawChange, "plan change");
    const known = new Set(this.limitNames());
    const unknown = Object.keys(change.limits ?? {}).filter((k) => !known.has(k));
    if (unknown.length)
      throw new InvalidInput(
        `Unknown limit ${unknown.join(", ")}; limits are ${[...known].join(", ")}`,
        unknown,
      );
    if (!/^[0-9a-f]{24}$/i.test(id)) throw new TenantNotFound(id);
    const before = await this.control.Tenant.findById(new Types.ObjectId(id)).lean<TenantDoc>();
    if (!before || before.status === "provisioning" || before.status === "purged")
      throw new TenantNotFound(id);
    const was = toTenantRecord(before);
    const limits: Record<string, number> = { ...was.limits };
    for (const [name, value] of Object.entries(change.limits ?? {})) {
      if (value === null) delete limits[name];
      else limits[name] = value;
    }
    const after = await this.events.transaction(this.controlConn, id, async (session, emit) => {
      const changed = await this.control.Tenant.findByIdAndUpdate(
        before._id,
        { $set: { plan: change.plan, limits } },
        { returnDocument: "after", session },
      ).lean<TenantDoc>();
      if (changed) {
        const now = toTenantRecord(changed);
        emit({
          type: "tenant.plan_changed",
          data: {
            tenantId: id,
            slug: now.slug,
            before: { plan: was.plan, limits: was.limits },
            after: { plan: now.plan, limits: now.limits },
          },
        });
      }
      return changed;
    });
    if (!after) throw new TenantNotFound(id);
    await this.registry.announce(id);
    const now = toTenantRecord(after);
    await this.audit.record({
      actor,
      action: "tenant.plan.changed",
      tenantId: id,
      tenantSlug: now.slug,
      details: {
        before: { plan: was.plan, limits: was.limits },
        after: { plan: now.plan, limits: now.limits },
      },
    });
    return now;
  }

  private async assertRoom(
    scope: TenantScope,
    limit: string,
    count: () => Promise<number>,
  ): Promise<void> {
    const max = this.limit(scope.tenant, limit);
    const used = await count();
    if (used + 1 > max) throw new QuotaExceeded({ limit, used, max });
  }

  private seats(scope: TenantScope): Promise<number> {
    return scope.models.User.countDocuments({ status: { $in: SEAT_STATUSES } });
  }

  /** The tenant database's size (dbStats totalSize: data + indexes), measured once per TTL. */
  private storageBytes(scope: TenantScope): Promise<number> {
    const key = scope.tenant.id;
    const cached = this.storage.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.measuring.get(key);
    if (pending) return pending;
    const db = scope.conn.db;
    if (!db) throw new Error(`tenant ${key} has no database handle`);
    // A failed measurement is not kept: the next write measures again.
    const measuring = db
      .stats()
      .then((s) => {
        const stats = s as { totalSize?: number; storageSize?: number; indexSize?: number };
        const bytes = stats.totalSize ?? (stats.storageSize ?? 0) + (stats.indexSize ?? 0);
        this.storage.set(key, bytes);
        return bytes;
      })
      .finally(() => this.measuring.delete(key));
    this.measuring.set(key, measuring);
    return measuring;
  }
}

function report(limit: string, used: number, max: number): LimitReport {
  const ratio = max > 0 ? used / max : 1;
  return {
    limit,
    used,
    max,
    ratio,
    warning: ratio >= USAGE_WARNING_RATIO,
    reached: limit === "storageBytes" ? used > max : used >= max,
  };
}

/**
 * Brings records written before the catalogue onto it, once per start (idempotent): the old
 * "team" tier becomes "pro", any other name outside the catalogue "free", and free-form `limits`
 * keep only well-formed overrides. toTenantRecord reads old records the same way meanwhile.
 */
export async function migrateTenantPlans(control: ControlModels): Promise<void> {
  const { Tenant } = control;
  await Tenant.updateMany({ plan: "team" }, { $set: { plan: "pro" } });
  await Tenant.updateMany({ plan: { $nin: [...PLAN_NAMES] } }, { $set: { plan: "free" } });
  const withLimits = await Tenant.find({ limits: { $nin: [{}, null] } })
    .select({ limits: 1 })
    .lean<Pick<TenantDoc, "_id" | "limits">[]>();
  for (const doc of withLimits) {
    const limits = normalizeOverrides(doc.limits);
    if (Object.keys(limits).length !== Object.keys(doc.limits ?? {}).length)
      await Tenant.updateOne({ _id: doc._id }, { $set: { limits } });
  }
}
