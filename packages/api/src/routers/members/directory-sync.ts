// Keeps the control database's directory (email -> memberships, nothing secret) in step with
// the tenant's users.
import type { MemberRole, Tenancy, TenantScope } from "../../tenancy-port";

export async function addMembership(
  tenancy: Tenancy,
  scope: TenantScope,
  email: string,
  role: MemberRole,
  userId: string,
) {
  await tenancy.directory.add({ email, tenantId: scope.tenant.id, role, userId });
}

export async function setMembershipRole(
  tenancy: Tenancy,
  scope: TenantScope,
  email: string,
  role: MemberRole,
) {
  await tenancy.directory.setRole({ email, tenantId: scope.tenant.id, role });
}

export async function removeMembership(tenancy: Tenancy, scope: TenantScope, email: string) {
  await tenancy.directory.remove({ email, tenantId: scope.tenant.id });
}
