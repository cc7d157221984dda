// Keeps the control database's directory (email -> memberships, nothing secret) in step with
// the tenant's users.
import { Types } from "mongoose";

import type { MemberRole, Tenancy, TenantScope } from "../../tenancy-port";

export async function addMembership(tenancy: Tenancy, scope: TenantScope, email: string, role: MemberRole, userId: string) {
  await tenancy.control.Directory.updateOne(
    { email, tenantId: new Types.ObjectId(scope.tenant.id) },
    { $set: { tenantSlug: scope.tenant.slug, tenantName: scope.tenant.name, role, userId } },
    { upsert: true },
  );
}

export async function setMembershipRole(tenancy: Tenancy, scope: TenantScope, email: string, role: MemberRole) {
  await tenancy.control.Directory.updateOne({ email, tenantId: new Types.ObjectId(scope.tenant.id) }, { $set: { role } });
}

export async function removeMembership(tenancy: Tenancy, scope: TenantScope, email: string) {
  await tenancy.control.Directory.deleteOne({ email, tenantId: new Types.ObjectId(scope.tenant.id) });
}
