// How a member is shown outside the tenancy core, and the admin's roster of one tenant: who owns
// it and who belongs. A member document holds the password hash; no view of it ever does.
import { TenantDeleted } from "./errors";
import type { TenantScope } from "./tenancy-runtime";
import type { TenantRecord } from "./tenant-registry";
import type { MemberRole } from "./control-models";
import type { UserDoc, UserStatus } from "./tenant-models";

export interface MemberView {
  id: string;
  email: string;
  name: string;
  // MemberRole, not UserDoc["role"]: an api output type must not pull in mongoose's types.
  role: MemberRole;
  status: UserStatus;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** The fields a view reads, so the hash is not even fetched. */
const VIEW_FIELDS = { email: 1, name: 1, role: 1, status: 1, lastLoginAt: 1, createdAt: 1 };

export function memberView(u: Pick<UserDoc, "_id" | keyof typeof VIEW_FIELDS>): MemberView {
  return {
    id: u._id.toString(),
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

export interface RosterOptions {
  status?: UserStatus;
  limit?: number;
}

export interface TenantRoster {
  /** Every owner, whatever the limit (there are few). */
  owners: MemberView[];
  /** Members in id order, up to the limit. */
  members: MemberView[];
  /** Members matching the status filter, beyond the limit too. */
  total: number;
  /** Why there is no roster: the tenant's database is gone (purged) or not complete yet. */
  unavailable: "purged" | "provisioning" | null;
}

const ROSTER_MAX = 200;

/**
 * Reads the roster through `withTenant(…, { allowInactive: true })`, so a suspended or deleted
 * tenant still shows its members; a purged or provisioning one answers an empty roster.
 */
export async function tenantRoster(
  tenant: TenantRecord,
  withTenant: <T>(id: string, fn: (scope: TenantScope) => Promise<T>) => Promise<T>,
  opts: RosterOptions = {},
): Promise<TenantRoster> {
  if (tenant.status === "purged" || tenant.status === "provisioning")
    return { owners: [], members: [], total: 0, unavailable: tenant.status };
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), ROSTER_MAX);
  const filter = opts.status ? { status: opts.status } : {};
  const read = withTenant(tenant.id, async ({ models: { User } }) => {
    const [owners, members, total] = await Promise.all([
      User.find({ ...filter, role: "owner" })
        .select(VIEW_FIELDS)
        .sort({ _id: 1 })
        .lean<UserDoc[]>(),
      User.find(filter).select(VIEW_FIELDS).sort({ _id: 1 }).limit(limit).lean<UserDoc[]>(),
      User.countDocuments(filter),
    ]);
    return {
      owners: owners.map(memberView),
      members: members.map(memberView),
      total,
      unavailable: null,
    } satisfies TenantRoster;
  });
  // Purged between the status check and the lease: the same answer as a purged tenant's.
  return read.catch((err: unknown) => {
    if (err instanceof TenantDeleted)
      return { owners: [], members: [], total: 0, unavailable: "purged" as const };
    throw err;
  });
}
