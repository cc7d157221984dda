// API keys from the command line: a tenant's keys (`keys ...`, in its own database) and platform
// keys (`admin keys ...`, control database), through tenancy's ApiKeys / PlatformKeys use cases,
// the same ones the web app and API call. A new key's secret is printed once.
import type { ApiKeyView, CreatedKey, Tenancy, TenantScope } from "@tenantry/tenancy";
import { operatorMemberActor } from "@tenantry/tenancy";

import type { CommandContext, CommandSpec } from "../command";
import { usageError } from "../exit-codes";
import { formatRecord, formatTable } from "../output";
import { findTenant } from "../tenant-lookup";

const text = (ctx: CommandContext, key: string) =>
  typeof ctx.values[key] === "string" ? ctx.values[key] : "";

/** --expires YYYY-MM-DD (the end of that day, UTC) or an ISO date-time; unset: never. */
function expiry(ctx: CommandContext): Date | null {
  const value = text(ctx, "expires");
  if (!value) return null;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : value);
  if (Number.isNaN(at.getTime()))
    throw usageError(`--expires must be a date such as 2027-01-31 (got "${value}")`);
  return at;
}

const scopesOf = (ctx: CommandContext) =>
  text(ctx, "scopes")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const row = (k: ApiKeyView) => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes.join(","),
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
  lastUsedAt: k.lastUsedAt,
  lastUsedIp: k.lastUsedIp,
});

const created = ({ key, secret }: CreatedKey) => ({
  json: { key, secret },
  human:
    `Created API key ${key.name}\n${formatRecord(row(key))}\n` +
    `Secret (shown once; store it now, it can't be shown again):\n${secret}\n`,
});

const listed = (items: ApiKeyView[]) => ({
  json: { keys: items },
  human: formatTable(items.map(row), [
    "id",
    "name",
    "scopes",
    "expiresAt",
    "revokedAt",
    "lastUsedAt",
    "lastUsedIp",
  ]),
});

/** Runs a tenant key use case inside the tenant named by --tenant. */
async function inTenant<T>(
  ctx: CommandContext,
  run: (tenancy: Tenancy, scope: TenantScope) => Promise<T>,
): Promise<T> {
  const tenancy = await ctx.tenancy();
  const tenant = await findTenant(tenancy, text(ctx, "tenant"));
  return tenancy.withTenant(tenant.id, (scope) => run(tenancy, scope));
}

const tenantKeys: CommandSpec[] = [
  {
    group: "keys",
    name: "create",
    summary: "Create a tenant API key (a service account); prints its secret once",
    usage: "--tenant <slug> --name <name> --scopes <a,b> [--expires <YYYY-MM-DD>]",
    options: ["--tenant <slug>", "--name <name>", "--scopes <scopes>", "--expires <date>"],
    positionals: [],
    required: ["tenant", "name", "scopes"],
    details:
      "Scopes: <module>:read and <module>:write per registered module (e.g. notes:read), members:admin, keys:admin.",
    async run(ctx) {
      const key = await inTenant(ctx, (tenancy, scope) =>
        tenancy.apiKeys.create(scope, operatorMemberActor(ctx.actor), {
          name: text(ctx, "name"),
          scopes: scopesOf(ctx),
          expiresAt: expiry(ctx),
        }),
      );
      return created(key);
    },
  },
  {
    group: "keys",
    name: "list",
    summary: "List a tenant's API keys with their last use (never their secrets)",
    usage: "--tenant <slug>",
    options: ["--tenant <slug>"],
    positionals: [],
    required: ["tenant"],
    async run(ctx) {
      return listed(
        await inTenant(ctx, (tenancy, scope) =>
          tenancy.apiKeys.list(scope, operatorMemberActor(ctx.actor)),
        ),
      );
    },
  },
  {
    group: "keys",
    name: "revoke",
    summary: "Revoke a tenant API key (refused on every instance within a second)",
    usage: "--tenant <slug> <key-id>",
    options: ["--tenant <slug>"],
    positionals: ["<key-id>"],
    required: ["tenant"],
    async run(ctx) {
      const key = await inTenant(ctx, (tenancy, scope) =>
        tenancy.apiKeys.revoke(scope, operatorMemberActor(ctx.actor), ctx.positionals[0] ?? ""),
      );
      return { json: { key }, human: `Revoked API key ${key.name}\n${formatRecord(row(key))}` };
    },
  },
];

const platformKeys: CommandSpec[] = [
  {
    group: "admin keys",
    name: "create",
    summary: "Create a platform key for the admin API; prints its secret once",
    usage: "--name <name> --scopes <platform:read,platform:write> [--expires <YYYY-MM-DD>]",
    options: ["--name <name>", "--scopes <scopes>", "--expires <date>"],
    positionals: [],
    required: ["name", "scopes"],
    async run(ctx) {
      const tenancy = await ctx.tenancy();
      return created(
        await tenancy.platformKeys.create(ctx.actor, {
          name: text(ctx, "name"),
          scopes: scopesOf(ctx),
          expiresAt: expiry(ctx),
        }),
      );
    },
  },
  {
    group: "admin keys",
    name: "list",
    summary: "List platform keys with their last use (never their secrets)",
    usage: "",
    options: [],
    positionals: [],
    async run(ctx) {
      return listed(await (await ctx.tenancy()).platformKeys.list());
    },
  },
  {
    group: "admin keys",
    name: "revoke",
    summary: "Revoke a platform key (refused on every instance within a second)",
    usage: "<key-id>",
    options: [],
    positionals: ["<key-id>"],
    async run(ctx) {
      const tenancy = await ctx.tenancy();
      const key = await tenancy.platformKeys.revoke(ctx.actor, ctx.positionals[0] ?? "");
      return {
        json: { key },
        human: `Revoked platform key ${key.name}\n${formatRecord(row(key))}`,
      };
    },
  },
];

export const keyCommands: CommandSpec[] = [...tenantKeys, ...platformKeys];
