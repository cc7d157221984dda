// The event catalogue: every event tenancy writes to an outbox, with its payload's type. Platform
// events (tenant.*) live in the control database's outbox; a tenant's member and module events in
// that tenant's own database. Modules add their tenant events through `TenantModule.events`.
import type { AnyTenantModule } from "../tenant-module";

export const PLATFORM_EVENT_TYPES = [
  "tenant.provisioned",
  "tenant.suspended",
  "tenant.resumed",
  "tenant.deleted",
  "tenant.purged",
  "tenant.plan_changed",
] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

export const MEMBER_EVENT_TYPES = [
  "member.added",
  "member.removed",
  "member.role_changed",
] as const;

interface TenantRef {
  tenantId: string;
  slug: string;
}

/** Payload (`data`) of each of tenancy's own events. */
export interface EventPayloads {
  "tenant.provisioned": TenantRef & { plan: string };
  "tenant.suspended": TenantRef & { reason: string };
  "tenant.resumed": TenantRef;
  "tenant.deleted": TenantRef & { purgeAfter: string | null };
  "tenant.purged": TenantRef;
  "tenant.plan_changed": TenantRef & {
    before: { plan: string; limits: Record<string, number> };
    after: { plan: string; limits: Record<string, number> };
  };
  "member.added": { userId: string; email: string; role: string };
  "member.removed": { userId: string; email: string; role: string };
  "member.role_changed": { userId: string; email: string; from: string; to: string };
}

type CoreEventType = keyof EventPayloads;

/** One event as written to an outbox (a module event's data is the module's own object). */
export type EventInput =
  | { [K in CoreEventType]: { type: K; data: EventPayloads[K] } }[CoreEventType]
  | { type: `${string}.${string}`; data: Record<string, unknown> };

const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The event types a tenant's webhook endpoints may subscribe to: members' and the modules'. */
export function tenantEventTypes(modules: readonly AnyTenantModule[]): string[] {
  const own: string[] = [...MEMBER_EVENT_TYPES];
  for (const m of modules)
    for (const e of m.events ?? []) {
      if (!EVENT_NAME.test(e) || own.includes(e))
        throw new Error(`Module "${m.name}" declares an invalid or duplicate event "${e}"`);
      own.push(e);
    }
  return own;
}
