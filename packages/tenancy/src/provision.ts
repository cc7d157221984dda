// The provisioning saga: record -> database (collections, indexes, migrations) -> owner user ->
// directory entry -> active. Each step is recorded on the tenant record before the next starts,
// so a retry resumes where a crash stopped. The recovery sweep finishes a tenant whose owner
// user exists (nothing left needs the password) and removes every trace of one that got less
// far: its directory entries, its database, then its record (last, so a crashed rollback is
// itself resumed by the next sweep).
import { Types } from "mongoose";
import { z } from "zod";

import type { AuditActor, TenantDoc } from "./control-models";
import { InvalidInput, ProvisioningInProgress, SlugTaken } from "./errors";
import { migrateTenantDatabase } from "./migrations";
import type { ProvisionStep } from "./config";
import { checkPassword } from "./policy-checks";
import { LIMIT_NAME_PATTERN, PLAN_NAMES, slugProblem } from "./policies";
import { normalizeEmail } from "./tenant-directory";
import type { TenantRecord } from "./tenant-registry";
import { toTenantRecord } from "./tenant-registry";
import type { TenancyRuntime } from "./tenancy-runtime";
import { withHandle } from "./tenancy-runtime";

export const PROVISION_STEPS: readonly ProvisionStep[] = [
  "record",
  "database",
  "owner",
  "directory",
  "active",
];

export const slugSchema = z.string().superRefine((slug, ctx) => {
  const problem = slugProblem(slug);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const tenantNameSchema = z.string().trim().min(1, "required").max(100);

const provisionSchema = z.object({
  slug: slugSchema,
  name: tenantNameSchema,
  owner: z.object({
    email: z.string().max(254),
    name: z.string().trim().min(1, "required").max(100),
    password: z.string(),
  }),
  cluster: z.string().min(1).max(40).optional(),
  plan: z.enum(PLAN_NAMES).optional(),
  modules: z.array(z.string().min(1).max(40)).max(50).optional(),
  /** Overrides of the plan's limits. */
  limits: z.record(z.string().regex(LIMIT_NAME_PATTERN), z.number().int().min(0)).optional(),
});

export type ProvisionInput = z.input<typeof provisionSchema>;

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`);
    throw new InvalidInput(`Invalid ${what}: ${issues.join("; ")}`, issues);
  }
  return parsed.data;
}

function stepIndex(step: string | null | undefined): number {
  return PROVISION_STEPS.indexOf((step ?? "record") as ProvisionStep);
}

/** Serialises work on one slug inside this process (a second call waits, then re-reads). */
export async function exclusiveBySlug<T>(
  rt: TenancyRuntime,
  slug: string,
  fn: () => Promise<T>,
): Promise<T> {
  for (let running = rt.inFlight.get(slug); running; running = rt.inFlight.get(slug)) {
    await running.catch(() => undefined);
  }
  const run = fn();
  rt.inFlight.set(slug, run);
  try {
    return await run;
  } finally {
    if (rt.inFlight.get(slug) === run) rt.inFlight.delete(slug);
  }
}

/** Takes (or renews) the provisioning claim; null if another live worker holds it. */
export async function claimProvisioning(
  rt: TenancyRuntime,
  id: Types.ObjectId,
): Promise<TenantDoc | null> {
  const now = new Date();
  return rt.control.Tenant.findOneAndUpdate(
    {
      _id: id,
      status: "provisioning",
      $or: [
        { "provisioning.claimedUntil": { $lt: now } },
        { "provisioning.claimedUntil": null },
        { "provisioning.claimedBy": rt.instanceId },
      ],
    },
    {
      $set: {
        "provisioning.claimedBy": rt.instanceId,
        "provisioning.claimedUntil": new Date(now.getTime() + rt.config.provisionLeaseMs),
      },
    },
    { returnDocument: "after" },
  ).lean<TenantDoc>();
}

/** Records a finished step (renewing the claim); throws if the claim was lost meanwhile. */
export async function markStep(
  rt: TenancyRuntime,
  doc: TenantDoc,
  step: ProvisionStep,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const res = await rt.control.Tenant.updateOne(
    { _id: doc._id, status: "provisioning", "provisioning.claimedBy": rt.instanceId },
    {
      $set: {
        "provisioning.step": step,
        "provisioning.claimedUntil": new Date(Date.now() + rt.config.provisionLeaseMs),
        ...extra,
      },
    },
  );
  if (res.matchedCount === 0) throw new ProvisioningInProgress(doc.slug);
  await rt.config.hooks.afterProvisionStep?.(step, {
    tenantId: doc._id.toHexString(),
    slug: doc.slug,
  });
}

export async function activate(
  rt: TenancyRuntime,
  doc: TenantDoc,
  actor: AuditActor,
  action: string,
): Promise<TenantRecord> {
  const id = doc._id.toHexString();
  // The activation and its tenant.provisioned event commit together (control outbox).
  const updated = await rt.events.transaction(rt.controlConn, id, async (session, emit) => {
    const active = await rt.control.Tenant.findOneAndUpdate(
      { _id: doc._id, status: "provisioning", "provisioning.claimedBy": rt.instanceId },
      { $set: { status: "active", statusReason: null, provisioning: null } },
      { returnDocument: "after", session },
    ).lean<TenantDoc>();
    if (active)
      emit({
        type: "tenant.provisioned",
        data: { tenantId: id, slug: active.slug, plan: active.plan },
      });
    return active;
  });
  if (!updated) throw new ProvisioningInProgress(doc.slug);
  await rt.registry.announce(doc._id.toHexString());
  await rt.audit.record({
    actor,
    action,
    tenantId: doc._id.toHexString(),
    tenantSlug: doc.slug,
    details: { cluster: doc.cluster, dbName: doc.dbName },
  });
  await rt.config.hooks.afterProvisionStep?.("active", {
    tenantId: doc._id.toHexString(),
    slug: doc.slug,
  });
  return toTenantRecord(updated);
}

/** Creates the databases's collections and indexes and runs every migration. */
async function prepareDatabase(rt: TenancyRuntime, record: TenantRecord): Promise<number> {
  const result = await withHandle(rt, record, (scope) =>
    migrateTenantDatabase(scope, rt.migrations, {
      owner: rt.instanceId,
      lockMs: rt.config.provisionLeaseMs || 60_000,
    }),
  );
  return result.to;
}

/** Removes every trace of an unfinished tenant: directory entries, database, then the record. */
export async function rollbackProvisioning(
  rt: TenancyRuntime,
  doc: TenantDoc,
  actor: AuditActor,
): Promise<void> {
  const record = toTenantRecord(doc);
  await rt.control.Directory.deleteMany({ tenantId: doc._id });
  await withHandle(rt, record, async (scope) => {
    await scope.conn.dropDatabase();
  });
  rt.handles.forget(record.id);
  await rt.control.Tenant.deleteOne({ _id: doc._id, status: "provisioning" });
  rt.registry.invalidate(record.id);
  await rt.audit.record({
    actor,
    action: "tenant.provision.rolledBack",
    tenantId: record.id,
    tenantSlug: doc.slug,
    details: { step: doc.provisioning?.step ?? null, kind: doc.provisioning?.kind ?? "provision" },
  });
}

async function existingOrTaken(
  rt: TenancyRuntime,
  doc: TenantDoc,
  ownerEmail: string,
): Promise<TenantRecord> {
  if (doc.status === "active") {
    const owner = await rt.control.Directory.exists({
      tenantId: doc._id,
      email: ownerEmail,
      role: "owner",
    });
    if (owner) return toTenantRecord(doc);
  }
  throw new SlugTaken(doc.slug);
}

export async function provision(
  rt: TenancyRuntime,
  rawInput: ProvisionInput,
  actor: AuditActor,
): Promise<TenantRecord> {
  const input = parseOrThrow(provisionSchema, rawInput, "tenant");
  const ownerEmail = normalizeEmail(input.owner.email);
  checkPassword(input.owner.password, ownerEmail, "Owner");
  return exclusiveBySlug(rt, input.slug, () => provisionOnce(rt, input, ownerEmail, actor));
}

async function provisionOnce(
  rt: TenancyRuntime,
  input: z.output<typeof provisionSchema>,
  ownerEmail: string,
  actor: AuditActor,
): Promise<TenantRecord> {
  const { Tenant } = rt.control;
  let doc = await Tenant.findOne({ slug: input.slug }).lean<TenantDoc>();
  if (doc && doc.status !== "provisioning") return existingOrTaken(rt, doc, ownerEmail);

  if (!doc) {
    const cluster = await rt.clusters.choose(input.cluster);
    const _id = new Types.ObjectId();
    try {
      const created = await Tenant.create({
        _id,
        slug: input.slug,
        name: input.name,
        status: "provisioning",
        dbName: `t_${_id.toHexString()}`,
        cluster,
        plan: input.plan ?? "free",
        modules: input.modules ?? [],
        limits: input.limits ?? {},
        schemaVersion: 0,
        provisioning: {
          step: "record",
          kind: "provision",
          ownerEmail,
          claimedBy: rt.instanceId,
          claimedUntil: new Date(Date.now() + rt.config.provisionLeaseMs),
        },
      });
      doc = created.toObject();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // Another instance created it between our read and insert: treat as an existing slug.
      const raced = await Tenant.findOne({ slug: input.slug }).lean<TenantDoc>();
      if (!raced) throw err;
      if (raced.status !== "provisioning") return existingOrTaken(rt, raced, ownerEmail);
      throw new ProvisioningInProgress(input.slug);
    }
    await rt.config.hooks.afterProvisionStep?.("record", {
      tenantId: _id.toHexString(),
      slug: input.slug,
    });
  } else {
    if (doc.provisioning?.kind !== "provision" || doc.provisioning.ownerEmail !== ownerEmail)
      throw new SlugTaken(input.slug);
    const claimed = await claimProvisioning(rt, doc._id);
    if (!claimed) throw new ProvisioningInProgress(input.slug);
    doc = claimed;
  }

  const record = toTenantRecord(doc);
  const done = stepIndex(doc.provisioning?.step);

  if (done < stepIndex("database")) {
    const version = await prepareDatabase(rt, record);
    await markStep(rt, doc, "database", { schemaVersion: version });
  }

  let userId: string | null = null;
  if (done < stepIndex("owner")) {
    userId = await withHandle(rt, record, async ({ models }) => {
      const existing = await models.User.findOne({ email: ownerEmail }).lean();
      if (existing) return existing._id.toHexString();
      const passwordHash = await rt.hasher.hash(input.owner.password);
      const user = await models.User.create({
        email: ownerEmail,
        name: input.owner.name,
        passwordHash,
        role: "owner",
        status: "active",
      });
      return user._id.toHexString();
    });
    await markStep(rt, doc, "owner");
  }

  if (done < stepIndex("directory")) {
    userId ??= await findUserId(rt, record, ownerEmail);
    await rt.directory.add({ email: ownerEmail, tenantId: record.id, role: "owner", userId });
    await markStep(rt, doc, "directory");
  }

  return activate(rt, doc, actor, "tenant.provisioned");
}

async function findUserId(
  rt: TenancyRuntime,
  record: TenantRecord,
  email: string,
): Promise<string | null> {
  return withHandle(rt, record, async ({ models }) => {
    const user = await models.User.findOne({ email }).lean();
    return user ? user._id.toHexString() : null;
  });
}

export interface RecoveryReport {
  completed: string[];
  rolledBack: string[];
  /** Held by a live worker (claim not expired) or failed this time; retried on the next sweep. */
  skipped: { slug: string; reason: string }[];
}

/**
 * Resolves every tenant left in "provisioning" by a crashed worker: forward when the owner
 * user exists, otherwise back to no trace. Imports are always rolled back (the archive is gone).
 */
export async function recoverySweep(
  rt: TenancyRuntime,
  actor: AuditActor,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { completed: [], rolledBack: [], skipped: [] };
  const stuck = await rt.control.Tenant.find({ status: "provisioning" }).lean<TenantDoc[]>();
  for (const candidate of stuck) {
    if (rt.inFlight.has(candidate.slug)) {
      report.skipped.push({ slug: candidate.slug, reason: "in progress in this process" });
      continue;
    }
    try {
      await exclusiveBySlug(rt, candidate.slug, async () => {
        const doc = await claimProvisioning(rt, candidate._id);
        if (!doc) {
          report.skipped.push({ slug: candidate.slug, reason: "claimed by a live worker" });
          return;
        }
        const done = stepIndex(doc.provisioning?.step);
        const ownerEmail = doc.provisioning?.ownerEmail;
        if (doc.provisioning?.kind === "provision" && done >= stepIndex("owner") && ownerEmail) {
          const record = toTenantRecord(doc);
          if (done < stepIndex("directory")) {
            const userId = await findUserId(rt, record, ownerEmail);
            await rt.directory.add({
              email: ownerEmail,
              tenantId: record.id,
              role: "owner",
              userId,
            });
            await markStep(rt, doc, "directory");
          }
          await activate(rt, doc, actor, "tenant.provisioned.recovered");
          report.completed.push(doc.slug);
        } else {
          await rollbackProvisioning(rt, doc, actor);
          report.rolledBack.push(doc.slug);
        }
      });
    } catch (err) {
      rt.config.logger.warn(
        { slug: candidate.slug, err: (err as Error).message },
        "recovery sweep could not resolve tenant",
      );
      report.skipped.push({ slug: candidate.slug, reason: (err as Error).message });
    }
  }
  return report;
}
