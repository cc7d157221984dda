import { forgetOrgTwoFactor } from "../../auth/two-factor-gate";
import type { SettingDoc } from "../../tenancy-port";
import { orgRequiresTwoFactor } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";
import { recordTenantAudit } from "../tenant-audit";
import type { TUpdateSettingsInput } from "./settings.schema";

const KEY = "tenant";

function publicSettings(ctx: TenantContext, doc: SettingDoc | null) {
  return {
    displayName: doc?.displayName ?? ctx.tenant.tenant.name,
    preferences: doc?.preferences ?? {},
    requireOwnSignIn: doc?.requireOwnSignIn ?? false,
    requireTwoFactor: orgRequiresTwoFactor(doc),
    updatedAt: doc?.updatedAt ?? null,
  };
}

export async function getSettingsHandler({ ctx }: { ctx: TenantContext }) {
  return publicSettings(ctx, await ctx.tenant.models.Setting.findById(KEY).lean<SettingDoc>());
}

export async function updateSettingsHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TUpdateSettingsInput;
}) {
  const $set: Record<string, unknown> = {};
  if (input.displayName !== undefined) $set.displayName = input.displayName;
  if (input.requireOwnSignIn !== undefined) $set.requireOwnSignIn = input.requireOwnSignIn;
  if (input.requireTwoFactor !== undefined) $set.requireTwoFactor = input.requireTwoFactor;
  // Preferences merge key by key, so two admins editing different keys do not clobber each other.
  for (const [k, v] of Object.entries(input.preferences ?? {})) $set[`preferences.${k}`] = v;
  const doc = await ctx.tenant.models.Setting.findOneAndUpdate(
    { _id: KEY },
    { ...(Object.keys($set).length ? { $set } : {}), $setOnInsert: { _id: KEY } },
    { upsert: true, returnDocument: "after" },
  ).lean<SettingDoc>();
  if (input.requireTwoFactor !== undefined) forgetOrgTwoFactor(ctx, ctx.tenant.tenant.id);
  await recordTenantAudit(ctx, "settings.update", KEY, { changed: Object.keys($set) });
  return publicSettings(ctx, doc);
}
