// Tenant listings for operators (admin app, CLI): one query, so both filter and sort alike.
import type { TenantDoc, TenantStatus } from "./control-models";
import { TenantNotFound } from "./errors";
import { literalRegex } from "./literal-regex";
import type { TenantRecord } from "./tenant-registry";
import { toTenantRecord } from "./tenant-registry";
import type { TenancyRuntime } from "./tenancy-runtime";

export const TENANT_SORTS = [
  "slug",
  "-slug",
  "name",
  "-name",
  "createdAt",
  "-createdAt",
  "status",
  "-status",
] as const;
export type TenantSort = (typeof TENANT_SORTS)[number];

export interface TenantListFilter {
  status?: TenantStatus;
  /** Without a status, purged tenants are left out unless this is set. */
  includePurged?: boolean;
  /** Literal text matched case-insensitively against slug and name. */
  search?: string;
  cluster?: string;
  sort?: TenantSort;
  page?: number;
  limit?: number;
}

export async function listTenants(
  rt: TenancyRuntime,
  filter: TenantListFilter = {},
): Promise<{ items: TenantRecord[]; total: number }> {
  const query: Record<string, unknown> = {};
  if (filter.status) query.status = filter.status;
  else if (!filter.includePurged) query.status = { $ne: "purged" };
  if (filter.cluster) query.cluster = filter.cluster;
  if (filter.search) {
    const re = literalRegex(filter.search);
    query.$or = [{ slug: re }, { name: re }];
  }
  const sort = filter.sort ?? "slug";
  const field = sort.replace(/^-/, "");
  const dir = sort.startsWith("-") ? -1 : 1;
  const limit = Math.max(1, filter.limit ?? 1000);
  const page = Math.max(1, filter.page ?? 1);
  const { Tenant } = rt.control;
  const [docs, total] = await Promise.all([
    Tenant.find(query)
      .sort({ [field]: dir, _id: dir })
      .skip((page - 1) * limit)
      .limit(limit)
      .lean<TenantDoc[]>(),
    Tenant.countDocuments(query),
  ]);
  return { items: docs.map(toTenantRecord), total };
}

/** The tenant as stored right now (no cache): what an operator sees after a change. */
export async function getTenant(rt: TenancyRuntime, id: string): Promise<TenantRecord> {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new TenantNotFound(id);
  const doc = await rt.control.Tenant.findById(id).lean<TenantDoc>();
  if (!doc) throw new TenantNotFound(id);
  return toTenantRecord(doc);
}
