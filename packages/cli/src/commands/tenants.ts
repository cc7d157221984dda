import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type {
  ArchiveProgress,
  TenantRecord,
  TenantScriptContext,
  TenantStatus,
} from "@tenantry/tenancy";
import type { PlanName } from "@tenantry/tenancy";
import { PLAN_NAMES, TENANT_STATUSES } from "@tenantry/tenancy";
import { isPlanName } from "@tenantry/tenancy/policies";

import type { CommandContext, CommandSpec } from "../command";
import { readCliConfig } from "../env";
import { EXIT, usageError } from "../exit-codes";
import { formatRecord, formatTable } from "../output";
import { findTenant, tenantSummary } from "../tenant-lookup";

const LIST_COLUMNS = ["slug", "name", "status", "cluster", "plan", "schemaVersion", "createdAt"];

function positiveInt(ctx: CommandContext, key: string, fallback: number, max: number): number {
  const raw = ctx.values[key];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw usageError(`--${key} must be a whole number from 1 to ${max}`);
  return n;
}

const str = (ctx: CommandContext, key: string): string | undefined => {
  const v = ctx.values[key];
  return typeof v === "string" ? v : undefined;
};

/** Positional <tenant> (slug or id), resolved or a not-found error (exit 3). */
async function tenantArg(ctx: CommandContext): Promise<TenantRecord> {
  const ref = ctx.positionals[0] ?? "";
  return findTenant(await ctx.tenancy(), ref);
}

/** Keeps a slow operation visibly alive while the library gives no finer progress. */
async function withTicker<T>(ctx: CommandContext, label: string, work: Promise<T>): Promise<T> {
  const bar = ctx.progress(label);
  const tick = () => bar.update(0, null);
  tick();
  const timer = setInterval(tick, 100);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    bar.finish();
  }
}

/** A bar fed by the library's archive progress (export: documents, import: archive bytes). */
async function withArchiveBar<T>(
  ctx: CommandContext,
  label: string,
  unit: string,
  measure: (p: ArchiveProgress) => [done: number, total: number | null, note?: string],
  run: (onProgress: (p: ArchiveProgress) => void) => Promise<T>,
): Promise<T> {
  const bar = ctx.progress(label, unit);
  try {
    return await run((p) => bar.update(...measure(p)));
  } finally {
    bar.finish();
  }
}

function planArg(name: string): PlanName {
  if (!isPlanName(name)) throw usageError(`The plan must be one of ${PLAN_NAMES.join(", ")}`);
  return name;
}

/** `--limit seats=10 --limit notes=500`: overrides to set; `name=default` clears one. */
function limitOverrides(ctx: CommandContext): Record<string, number | null> {
  const raw = ctx.values.limit;
  const pairs = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const limits: Record<string, number | null> = {};
  for (const pair of pairs) {
    const [name = "", value = ""] = pair.split("=", 2);
    const n = Number(value);
    if (value === "default") limits[name] = null;
    else if (value.trim() !== "" && Number.isSafeInteger(n) && n >= 0) limits[name] = n;
    else throw usageError(`--limit ${pair}: give name=<whole number> or name=default`);
  }
  return limits;
}

const setPlan: CommandSpec = {
  group: "tenants",
  name: "set-plan",
  summary: "Change a tenant's plan and its limit overrides (audited as tenant.plan.changed)",
  usage: "<tenant> <plan> [--limit <name=value...>]",
  options: ["--limit <name=value...>"],
  positionals: ["<tenant>", "<plan>"],
  details: `Plans: ${PLAN_NAMES.join(", ")}. --limit seats=10 sets an override (repeat it for more), --limit seats=default clears one; overrides not named are kept.`,
  async run(ctx) {
    const plan = planArg(ctx.positionals[1] ?? "");
    const limits = limitOverrides(ctx);
    const tenant = await tenantArg(ctx);
    const tenancy = await ctx.tenancy();
    const changed = await tenancy.plans.setPlan(tenant.id, { plan, limits }, ctx.actor);
    const record = { ...tenantSummary(changed), limits: changed.limits };
    return {
      json: { tenant: record },
      human: `Tenant ${changed.slug} is on the ${changed.plan} plan\n${formatRecord(record)}`,
    };
  },
};

const list: CommandSpec = {
  group: "tenants",
  name: "list",
  summary: "List tenants (purged ones only with --status purged)",
  usage: "[--status <status>] [--search <text>] [--cluster <name>] [--limit <n>]",
  options: ["--status <status>", "--search <text>", "--cluster <name>", "--limit <n>"],
  positionals: [],
  details: `Statuses: ${TENANT_STATUSES.join(", ")}. --limit defaults to 1000.`,
  async run(ctx) {
    const status = str(ctx, "status");
    if (status !== undefined && !(TENANT_STATUSES as readonly string[]).includes(status)) {
      throw usageError(`--status must be one of ${TENANT_STATUSES.join(", ")}`);
    }
    const limit = positiveInt(ctx, "limit", 1000, 100_000);
    const cluster = str(ctx, "cluster");
    const search = str(ctx, "search");
    const tenancy = await ctx.tenancy();
    const { items } = await tenancy.tenants.list({
      ...(status ? { status: status as TenantStatus } : {}),
      ...(cluster ? { cluster } : {}),
      ...(search ? { search } : {}),
      sort: "slug",
      limit,
    });
    const rows = items.map(tenantSummary);
    return { json: { tenants: rows, count: rows.length }, human: formatTable(rows, LIST_COLUMNS) };
  },
};

const create: CommandSpec = {
  group: "tenants",
  name: "create",
  summary: "Provision a tenant: its database, indexes, migrations and owner user",
  usage:
    "--slug <slug> --name <name> --owner-email <email> --owner-name <name> (--owner-password <pw> | --owner-password-stdin) [--cluster <name>] [--plan <plan>]",
  options: [
    "--slug <slug>",
    "--name <name>",
    "--owner-email <email>",
    "--owner-name <name>",
    "--owner-password <pw>",
    "--owner-password-stdin",
    "--cluster <name>",
    "--plan <plan>",
  ],
  positionals: [],
  required: ["slug", "name", "owner-email", "owner-name"],
  details: "Without --cluster the registered cluster with the fewest tenants is used.",
  async run(ctx) {
    const password = await secret(ctx, "owner-password");
    const tenancy = await ctx.tenancy();
    const tenant = await withTicker(
      ctx,
      "provisioning",
      tenancy.lifecycle.provision(
        {
          slug: str(ctx, "slug") ?? "",
          name: str(ctx, "name") ?? "",
          owner: {
            email: str(ctx, "owner-email") ?? "",
            name: str(ctx, "owner-name") ?? "",
            password,
          },
          ...(str(ctx, "cluster") ? { cluster: str(ctx, "cluster") } : {}),
          ...(str(ctx, "plan") ? { plan: planArg(str(ctx, "plan") ?? "") } : {}),
        },
        ctx.actor,
      ),
    );
    return {
      json: { tenant: tenantSummary(tenant) },
      human: `Created tenant ${tenant.slug} on cluster ${tenant.cluster}\n${formatRecord(tenantSummary(tenant))}`,
    };
  },
};

/** A secret from --<key>, or the first line of stdin with --<key>-stdin (kept out of `ps` and shell history). */
export async function secret(ctx: CommandContext, key: string): Promise<string> {
  const inline = str(ctx, key);
  const fromStdin = ctx.values[`${key}-stdin`] === true;
  if (inline !== undefined && fromStdin)
    throw usageError(`Give --${key} or --${key}-stdin, not both`);
  if (inline !== undefined) return inline;
  if (fromStdin) return ctx.readStdinLine(key);
  throw usageError(`Missing --${key} (or --${key}-stdin)`);
}

function lifecycleCommand(
  name: string,
  summary: string,
  extra: Pick<CommandSpec, "options" | "usage" | "required" | "details"> | null,
  act: (
    ctx: CommandContext,
    tenant: TenantRecord,
  ) => Promise<{
    record: Record<string, unknown>;
    message: string;
    json?: Record<string, unknown>;
  }>,
): CommandSpec {
  return {
    group: "tenants",
    name,
    summary,
    usage: `<tenant>${extra?.usage ? ` ${extra.usage}` : ""}`,
    options: extra?.options ?? [],
    positionals: ["<tenant>"],
    required: extra?.required,
    details: extra?.details ?? "<tenant> is a slug or a tenant id.",
    async run(ctx) {
      const tenant = await tenantArg(ctx);
      const { record, message, json } = await act(ctx, tenant);
      return { json: json ?? { tenant: record }, human: `${message}\n${formatRecord(record)}` };
    },
  };
}

const show = lifecycleCommand(
  "show",
  "Show one tenant: status, cluster, plan, schema version and its members",
  null,
  async (ctx, t) => {
    const tenancy = await ctx.tenancy();
    // Fresh from the control database, not the registry's cache.
    const [tenant, members] = await Promise.all([
      tenancy.tenants.get(t.id),
      tenancy.directory.listByTenant(t.id),
    ]);
    const record = tenantSummary(tenant);
    const owners = members.filter((m) => m.role === "owner").map((m) => m.email);
    return {
      record: { ...record, owners: owners.join(", "), members: members.length },
      json: { tenant: record, members: members.map(({ email, role }) => ({ email, role })) },
      message: `Tenant ${t.slug}`,
    };
  },
);

const suspend = lifecycleCommand(
  "suspend",
  "Suspend a tenant: every request of its users is refused within 1 s, sessions revoked",
  { usage: "--reason <text>", options: ["--reason <text>"], required: ["reason"] },
  async (ctx, t) => {
    const res = await (
      await ctx.tenancy()
    ).lifecycle.suspend(t.id, str(ctx, "reason") ?? "", ctx.actor);
    const record = tenantSummary(res.tenant);
    return {
      record: { ...record, sessionsRevoked: res.sessionsRevoked },
      json: { tenant: record, sessionsRevoked: res.sessionsRevoked },
      message: `Suspended ${t.slug}`,
    };
  },
);

const sendOwnerReset = lifecycleCommand(
  "send-owner-reset",
  "Email a tenant's active owners a password-reset link (audited with the reason; the link is never shown)",
  {
    usage: "--reason <text>",
    options: ["--reason <text>"],
    required: ["reason"],
    details: "<tenant> is a slug or a tenant id. Needs SMTP_URL (and WEB_URL for the link's page).",
  },
  async (ctx, t) => {
    const { emails } = await (
      await ctx.tenancy()
    ).passwordResets.sendToOwners(
      t.id,
      str(ctx, "reason") ?? "",
      ctx.actor,
      readCliConfig().mail.resetUrls,
    );
    return {
      record: { slug: t.slug, sentTo: emails.join(", ") },
      json: { tenant: tenantSummary(t), sentTo: emails },
      message: `Sent a password-reset link to ${emails.join(", ")}`,
    };
  },
);

const resume = lifecycleCommand("resume", "Reactivate a suspended tenant", null, async (ctx, t) => {
  const tenant = await (await ctx.tenancy()).lifecycle.resume(t.id, ctx.actor);
  return { record: tenantSummary(tenant), message: `Resumed ${t.slug}` };
});

const del = lifecycleCommand(
  "delete",
  "Soft-delete a tenant (restorable until its purge date)",
  null,
  async (ctx, t) => {
    const tenant = await (await ctx.tenancy()).lifecycle.softDelete(t.id, ctx.actor);
    return {
      record: tenantSummary(tenant),
      message: `Deleted ${t.slug} (restorable until ${tenant.purgeAfter?.toISOString() ?? "purged"})`,
    };
  },
);

const restore = lifecycleCommand(
  "restore",
  "Restore a soft-deleted tenant to its previous state",
  null,
  async (ctx, t) => {
    const tenant = await (await ctx.tenancy()).lifecycle.restore(t.id, ctx.actor);
    return { record: tenantSummary(tenant), message: `Restored ${t.slug} (now ${tenant.status})` };
  },
);

const purge = lifecycleCommand(
  "purge",
  "Drop a deleted tenant's database for good (leaves a receipt in the audit log)",
  {
    usage: "--confirm <slug>",
    options: ["--confirm <slug>"],
    required: ["confirm"],
    details:
      "Irreversible. --confirm must repeat the tenant's slug; the tenant must be deleted first.",
  },
  async (ctx, t) => {
    if (str(ctx, "confirm") !== t.slug)
      throw usageError(`--confirm must repeat the slug "${t.slug}" to purge it`);
    const receipt = await (await ctx.tenancy()).lifecycle.purge(t.id, ctx.actor);
    return {
      record: { ...receipt },
      json: { receipt },
      message: `Purged ${t.slug}: database ${receipt.dbName} dropped on cluster ${receipt.cluster}`,
    };
  },
);

const migrate: CommandSpec = {
  group: "tenants",
  name: "migrate",
  summary: "Run pending migrations for one tenant, or for all with --all",
  usage: "(<tenant> | --all [--concurrency <n>])",
  options: ["--all", "--concurrency <n>"],
  positionals: ["[tenant]"],
  details: "--all skips tenants whose migration fails, reports them, and exits 1 if any failed.",
  async run(ctx) {
    const all = ctx.values.all === true;
    if (all === ctx.positionals.length > 0) throw usageError("Give either a <tenant> or --all");
    const tenancy = await ctx.tenancy();
    if (!all) {
      const tenant = await tenantArg(ctx);
      const result = await withTicker(
        ctx,
        `migrating ${tenant.slug}`,
        tenancy.lifecycle.migrate(tenant.id, ctx.actor),
      );
      const record = {
        slug: tenant.slug,
        from: result.from,
        to: result.to,
        applied: result.applied,
      };
      return {
        json: { migration: record },
        human: `${result.applied.length ? "Migrated" : "Already up to date:"} ${tenant.slug}\n${formatRecord(record)}`,
      };
    }
    const concurrency = positiveInt(ctx, "concurrency", 4, 64);
    const bar = ctx.progress("migrating");
    let report;
    try {
      report = await tenancy.lifecycle.migrateAll(
        {
          concurrency,
          onProgress: (p) => bar.update(p.done, p.total, p.ok ? p.slug : `${p.slug} FAILED`),
        },
        ctx.actor,
      );
    } finally {
      bar.finish();
    }
    const summary = {
      targetVersion: report.targetVersion,
      total: report.total,
      migrated: report.migrated,
      failed: report.failed,
    };
    const failedLines = report.failed.map((f) => `  ${f.slug}: ${f.error}`).join("\n");
    const human =
      `Migrated ${report.migrated} of ${report.total} tenants to version ${report.targetVersion}` +
      (report.failed.length ? `; ${report.failed.length} failed:\n${failedLines}\n` : "\n");
    return { json: summary, human, exitCode: report.failed.length ? EXIT.failed : EXIT.ok };
  },
};

/** Loads the script module: its default export is `async (ctx) => result`. */
async function loadScript(file: string): Promise<(ctx: TenantScriptContext) => unknown> {
  if (!existsSync(file) || !(await stat(file)).isFile()) throw usageError(`No script at ${file}`);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw usageError(
      `Cannot load ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (typeof mod.default !== "function")
    throw usageError(
      `${path.basename(file)} must have a default export: async (ctx) => result, where ctx has tenant, db, conn and models`,
    );
  return mod.default as (ctx: TenantScriptContext) => unknown;
}

/** A result as one short line: JSON, cut to fit a terminal row. */
function brief(value: unknown): string {
  if (value === undefined) return "";
  let text: string;
  try {
    text = JSON.stringify(value) ?? "";
  } catch {
    text = "(a result JSON cannot show)";
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

const runScript: CommandSpec = {
  group: "tenants",
  name: "run",
  summary:
    "Run a script module in each tenant's scope: one tenant (--tenant) or every active one (--all)",
  usage: "<script> (--tenant <tenant> | --all) [--concurrency <n>]",
  options: ["--tenant <tenant>", "--all", "--concurrency <n>"],
  positionals: ["<script>"],
  details:
    "The script's default export, async (ctx) => result, gets ctx.tenant ({ id, slug, name }) and that " +
    "tenant's own ctx.db, ctx.conn and ctx.models. Prints ok or failed per tenant; exits 1 if any failed.",
  async run(ctx) {
    const all = ctx.values.all === true;
    const one = str(ctx, "tenant");
    if (all === (one !== undefined))
      throw usageError("Give either --tenant <slug> or --all (not both)");
    if (one !== undefined && one.trim() === "") throw usageError("--tenant needs a slug or an id");
    const concurrency = positiveInt(ctx, "concurrency", 4, 64);
    const file = path.resolve(ctx.positionals[0] ?? "");
    const script = await loadScript(file);
    const tenancy = await ctx.tenancy();
    const targets = all
      ? (await tenancy.tenants.list({ status: "active", limit: 1_000_000 })).items
      : [await findTenant(tenancy, one ?? "")];
    const name = path.basename(file);
    const bar = ctx.progress(`running ${name}`);
    let results;
    try {
      results = await tenancy.jobs.runScript(
        targets,
        script,
        {
          name,
          concurrency,
          onProgress: (p) =>
            bar.update(p.done, p.total, p.last.ok ? p.last.slug : `${p.last.slug} FAILED`),
        },
        ctx.actor,
      );
    } finally {
      bar.finish();
    }
    const failed = results.filter((r) => !r.ok).length;
    const lines = results.map((r) =>
      r.ok ? `  ok      ${r.slug}  ${brief(r.result)}` : `  failed  ${r.slug}  ${r.error}`,
    );
    const human =
      `Ran ${name} in ${results.length} tenant${results.length === 1 ? "" : "s"}: ` +
      `${results.length - failed} ok, ${failed} failed\n${lines.join("\n")}${lines.length ? "\n" : ""}`;
    return {
      json: { script: name, total: results.length, ok: results.length - failed, failed, results },
      human,
      exitCode: failed ? EXIT.failed : EXIT.ok,
    };
  },
};

const exportCmd: CommandSpec = {
  group: "tenants",
  name: "export",
  summary: "Write a tenant's whole database to one portable archive file",
  usage: "<tenant> [--out <file>] [--force]",
  options: ["--out <file>", "--force"],
  positionals: ["<tenant>"],
  details:
    "--out defaults to ./<slug>-<timestamp>.tenantry.gz; an existing file is kept unless --force.",
  async run(ctx) {
    const tenant = await tenantArg(ctx);
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    const file = path.resolve(str(ctx, "out") ?? `${tenant.slug}-${stamp}.tenantry.gz`);
    if (existsSync(file) && ctx.values.force !== true)
      throw usageError(`${file} exists; pass --force to overwrite it`);
    if (!existsSync(path.dirname(file)))
      throw usageError(`Directory ${path.dirname(file)} does not exist`);
    const tenancy = await ctx.tenancy();
    const summary = await withArchiveBar(
      ctx,
      `exporting ${tenant.slug}`,
      "docs",
      (p) => [p.docsDone, p.docsTotal, p.collection],
      (onProgress) => tenancy.lifecycle.exportTenant(tenant.id, file, { onProgress }, ctx.actor),
    );
    const docs = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    return {
      json: { export: { tenant: tenant.slug, ...summary } },
      human: `Exported ${tenant.slug}: ${docs} documents in ${Object.keys(summary.counts).length} collections, ${summary.bytes} bytes\n${summary.file}\n`,
    };
  },
};

const importCmd: CommandSpec = {
  group: "tenants",
  name: "import",
  summary: "Create a new tenant from an export archive",
  usage: "<file> --slug <slug> [--name <name>] [--cluster <name>]",
  options: ["--slug <slug>", "--name <name>", "--cluster <name>"],
  positionals: ["<file>"],
  required: ["slug"],
  details:
    "The new tenant gets a new id and database; its users can log in with their old passwords.",
  async run(ctx) {
    const file = path.resolve(ctx.positionals[0] ?? "");
    if (!existsSync(file) || !(await stat(file)).isFile())
      throw usageError(`No archive file at ${file}`);
    const input = {
      slug: str(ctx, "slug") ?? "",
      ...(str(ctx, "name") ? { name: str(ctx, "name") } : {}),
      ...(str(ctx, "cluster") ? { cluster: str(ctx, "cluster") } : {}),
    };
    const tenancy = await ctx.tenancy();
    const tenant = await withArchiveBar(
      ctx,
      `importing ${input.slug}`,
      "bytes",
      (p) => [p.bytesDone, p.bytesTotal, p.phase],
      (onProgress) => tenancy.lifecycle.importTenant(file, input, ctx.actor, { onProgress }),
    );
    return {
      json: { tenant: tenantSummary(tenant) },
      human: `Imported ${path.basename(file)} as ${tenant.slug}\n${formatRecord(tenantSummary(tenant))}`,
    };
  },
};

export const tenantCommands: CommandSpec[] = [
  list,
  show,
  create,
  suspend,
  resume,
  sendOwnerReset,
  del,
  restore,
  purge,
  migrate,
  runScript,
  exportCmd,
  importCmd,
  setPlan,
];
