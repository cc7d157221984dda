import type { Tenancy, TenantRecord } from "@tenantry/tenancy";

/** A tenant named on the command line by slug or by its 24-hex id. */
export async function findTenant(tenancy: Tenancy, ref: string): Promise<TenantRecord> {
  return /^[0-9a-f]{24}$/i.test(ref)
    ? tenancy.registry.get(ref.toLowerCase())
    : tenancy.registry.getBySlug(ref);
}

/** The fields a person needs to recognise a tenant, in a stable order. */
export function tenantSummary(t: TenantRecord): Record<string, unknown> {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    reason: t.statusReason,
    cluster: t.cluster,
    plan: t.plan,
    schemaVersion: t.schemaVersion,
    createdAt: t.createdAt,
    ...(t.deletedAt ? { deletedAt: t.deletedAt, purgeAfter: t.purgeAfter } : {}),
  };
}
