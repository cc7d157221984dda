// email -> tenant memberships in the control DB. Holds nothing secret: no password, no hash.
import { Types } from "mongoose";

import type {
  ControlModels,
  DirectoryDoc,
  MemberRole,
  TenantDoc,
  TenantStatus,
} from "./control-models";
import { MEMBER_ROLES } from "./control-models";
import { InvalidInput, TenantNotFound } from "./errors";
import { isValidEmail, normalizeEmailText } from "./policies";

export interface Membership {
  email: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  tenantStatus: TenantStatus;
  role: MemberRole;
  userId: string | null;
}

export function normalizeEmail(email: string): string {
  const normalized = normalizeEmailText(email);
  if (!isValidEmail(normalized)) throw new InvalidInput(`Invalid email address: ${email}`);
  return normalized;
}

function tenantObjectId(tenantId: string): Types.ObjectId {
  if (!/^[0-9a-f]{24}$/i.test(tenantId)) throw new TenantNotFound(tenantId);
  return new Types.ObjectId(tenantId);
}

export class TenantDirectory {
  constructor(private readonly models: ControlModels) {}

  /** Memberships of live tenants (not purged, not mid-provisioning), with each tenant's status. */
  async findByEmail(email: string): Promise<Membership[]> {
    const normalized = normalizeEmail(email);
    const entries = await this.models.Directory.find({ email: normalized }).lean<DirectoryDoc[]>();
    if (entries.length === 0) return [];
    const tenants = await this.models.Tenant.find({ _id: { $in: entries.map((e) => e.tenantId) } })
      .select({ status: 1, slug: 1, name: 1 })
      .lean<Pick<TenantDoc, "_id" | "status" | "slug" | "name">[]>();
    const byId = new Map(tenants.map((t) => [t._id.toHexString(), t]));
    const out: Membership[] = [];
    for (const e of entries) {
      const t = byId.get(e.tenantId.toHexString());
      if (!t || t.status === "purged" || t.status === "provisioning") continue;
      out.push({
        email: e.email,
        tenantId: e.tenantId.toHexString(),
        tenantSlug: t.slug,
        tenantName: t.name,
        tenantStatus: t.status,
        role: e.role,
        userId: e.userId ?? null,
      });
    }
    return out.sort((a, b) => a.tenantName.localeCompare(b.tenantName));
  }

  async listByTenant(
    tenantId: string,
  ): Promise<{ email: string; role: MemberRole; userId: string | null }[]> {
    const entries = await this.models.Directory.find({ tenantId: tenantObjectId(tenantId) })
      .sort({ email: 1 })
      .lean<DirectoryDoc[]>();
    return entries.map((e) => ({ email: e.email, role: e.role, userId: e.userId ?? null }));
  }

  /** Adds or updates a membership (idempotent per email and tenant). */
  async add(input: {
    email: string;
    tenantId: string;
    role: MemberRole;
    userId?: string | null;
  }): Promise<void> {
    const email = normalizeEmail(input.email);
    if (!MEMBER_ROLES.includes(input.role))
      throw new InvalidInput(`Invalid role: ${String(input.role)}`);
    const tenant = await this.models.Tenant.findById(tenantObjectId(input.tenantId))
      .select({ slug: 1, name: 1 })
      .lean<TenantDoc>();
    if (!tenant) throw new TenantNotFound(input.tenantId);
    await this.models.Directory.updateOne(
      { email, tenantId: tenant._id },
      {
        $set: {
          role: input.role,
          userId: input.userId ?? null,
          tenantSlug: tenant.slug,
          tenantName: tenant.name,
        },
      },
      { upsert: true },
    );
  }

  async remove(input: { email: string; tenantId: string }): Promise<boolean> {
    const res = await this.models.Directory.deleteOne({
      email: normalizeEmail(input.email),
      tenantId: tenantObjectId(input.tenantId),
    });
    return res.deletedCount > 0;
  }

  async setRole(input: { email: string; tenantId: string; role: MemberRole }): Promise<boolean> {
    if (!MEMBER_ROLES.includes(input.role))
      throw new InvalidInput(`Invalid role: ${String(input.role)}`);
    const res = await this.models.Directory.updateOne(
      { email: normalizeEmail(input.email), tenantId: tenantObjectId(input.tenantId) },
      { $set: { role: input.role } },
    );
    return res.matchedCount > 0;
  }

  async removeTenant(tenantId: string): Promise<number> {
    const res = await this.models.Directory.deleteMany({ tenantId: tenantObjectId(tenantId) });
    return res.deletedCount;
  }
}
