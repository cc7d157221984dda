import { USER_STATUSES } from "@tenantry/tenancy";
import { PLAN_NAMES } from "@tenantry/tenancy/policies";
import { z } from "zod";

import { ZEmail, ZObjectId, ZPasswordInput, ZSearch, ZSlug } from "../../shared.schema";

const ZTenantStatus = z.enum(["provisioning", "active", "suspended", "deleted", "purged"]);

export const ZListTenantsInput = z
  .strictObject({
    search: ZSearch.optional(),
    status: ZTenantStatus.optional(),
    sort: z
      .enum(["createdAt", "-createdAt", "name", "-name", "slug", "-slug", "status"])
      .default("-createdAt"),
    page: z.number().int().min(1).max(100_000).default(1),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .optional()
  .default({ sort: "-createdAt", page: 1, limit: 20 });
export type TListTenantsInput = z.infer<typeof ZListTenantsInput>;

export const ZCreateTenantInput = z.strictObject({
  slug: ZSlug,
  name: z.string().trim().min(1).max(100),
  owner: z.strictObject({
    email: ZEmail,
    name: z.string().trim().min(1).max(100),
    password: ZPasswordInput,
  }),
  cluster: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
  plan: z.enum(PLAN_NAMES).optional(),
});
export type TCreateTenantInput = z.infer<typeof ZCreateTenantInput>;

/**
 * A plan change: the plan, and overrides to set (a number) or clear (null); others stay. The
 * limit names and values are checked by tenancy's setPlan, which knows the modules' limits.
 */
export const ZSetTenantPlanInput = z.strictObject({
  id: ZObjectId,
  plan: z.enum(PLAN_NAMES),
  limits: z.record(z.string().max(40), z.number().nullable()).optional(),
});
export type TSetTenantPlanInput = z.infer<typeof ZSetTenantPlanInput>;

export const ZTenantId = z.strictObject({ id: ZObjectId });
export type TTenantId = z.infer<typeof ZTenantId>;

/** `inline: true` also returns the archive (base64) so a browser can download it; capped in size. */
export const ZExportTenantInput = z.strictObject({
  id: ZObjectId,
  inline: z.boolean().default(false),
});
export type TExportTenantInput = z.infer<typeof ZExportTenantInput>;

export const ZSuspendTenantInput = z.strictObject({
  id: ZObjectId,
  reason: z.string().trim().min(3).max(500),
});
export type TSuspendTenantInput = z.infer<typeof ZSuspendTenantInput>;

/** A super admin mails the tenant's owners a reset link; the reason lands in both audit logs. */
export const ZSendOwnerResetInput = z.strictObject({
  id: ZObjectId,
  reason: z.string().trim().min(3).max(500),
});
export type TSendOwnerResetInput = z.infer<typeof ZSendOwnerResetInput>;

export const ZPurgeTenantInput = z.strictObject({ id: ZObjectId, confirmSlug: ZSlug });
export type TPurgeTenantInput = z.infer<typeof ZPurgeTenantInput>;

export const ZMigrationJobInput = z.strictObject({ jobId: z.string().uuid() });
export type TMigrationJobInput = z.infer<typeof ZMigrationJobInput>;

/** The owners and members of one tenant; `status: "active"` for whom an admin can impersonate. */
export const ZTenantMembersInput = z.strictObject({
  id: ZObjectId,
  status: z.enum(USER_STATUSES).optional(),
  limit: z.number().int().min(1).max(200).default(100),
});
export type TTenantMembersInput = z.infer<typeof ZTenantMembersInput>;

/** The name is checked by tenancy's rename (the one name rule, as at provisioning). */
export const ZRenameTenantInput = z.strictObject({ id: ZObjectId, name: z.string().max(1000) });
export type TRenameTenantInput = z.infer<typeof ZRenameTenantInput>;
