// Status changes after provisioning: active <-> suspended -> deleted (restorable) -> purged.
// Every change is written to the control record first, then announced to all instances
// (registry), then audited; side effects (session revocation, database drop) follow.
import { Types } from "mongoose";
import { z } from "zod";

import type { AuditActor, TenantDoc, TenantStatus } from "./control-models";
import type { EventInput } from "./events/catalogue";
import { InvalidInput, TenantDeleted, TenantNotFound } from "./errors";
import { parseOrThrow, tenantNameSchema } from "./provision";
import type { TenantRecord } from "./tenant-registry";
import { toTenantRecord } from "./tenant-registry";
import type { TenancyRuntime } from "./tenancy-runtime";
import { withHandle } from "./tenancy-runtime";

const reasonSchema = z.string().trim().min(1, "a reason is required").max(500);

function objectId(id: string): Types.ObjectId {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new TenantNotFound(id);
  return new Types.ObjectId(id);
}

async function load(rt: TenancyRuntime, id: string): Promise<TenantDoc> {
  const doc = await rt.control.Tenant.findById(objectId(id)).lean<TenantDoc>();
  if (!doc || doc.status === "provisioning") throw new TenantNotFound(id);
  return doc;
}

/**
 * Applies a status transition atomically, with its platform event in the same transaction (control
 * outbox); explains the refusal when the tenant is elsewhere.
 */
async function transition(
  rt: TenancyRuntime,
  id: string,
  from: TenantStatus[],
  set: Record<string, unknown>,
  verb: string,
  event?: (doc: TenantDoc) => EventInput,
): Promise<TenantDoc> {
  const _id = objectId(id);
  const updated = await rt.events.transaction(rt.controlConn, id, async (session, emit) => {
    const doc = await rt.control.Tenant.findOneAndUpdate(
      { _id, status: { $in: from } },
      { $set: set },
      { returnDocument: "after", session },
    ).lean<TenantDoc>();
    if (doc && event) emit(event(doc));
    return doc;
  });
  if (updated) {
    await rt.registry.announce(id);
    return updated;
  }
  const current = await load(rt, id);
  if (current.status === "purged") throw new TenantDeleted(id);
  throw new InvalidInput(`Cannot ${verb} a tenant that is ${current.status}`);
}

/**
 * Ends every live session of the tenant; null if its cluster could not be reached (the status
 * change already blocks every request meanwhile).
 */
async function revokeSessions(
  rt: TenancyRuntime,
  tenant: TenantRecord,
  reason: string,
): Promise<number | null> {
  try {
    return await withHandle(rt, tenant, async ({ models }) => {
      const res = await models.Session.updateMany(
        { revokedAt: null },
        { $set: { revokedAt: new Date(), revokedReason: reason } },
      );
      return res.modifiedCount;
    });
  } catch (err) {
    rt.config.logger.warn(
      { tenantId: tenant.id, reason, err: (err as Error).message },
      "could not revoke sessions of the tenant",
    );
    return null;
  }
}

export interface SuspendResult {
  tenant: TenantRecord;
  /** Refresh tokens revoked; null if the tenant's cluster could not be reached (status still holds). */
  sessionsRevoked: number | null;
}

export async function suspend(
  rt: TenancyRuntime,
  id: string,
  rawReason: string,
  actor: AuditActor,
): Promise<SuspendResult> {
  const reason = parseOrThrow(reasonSchema, rawReason, "suspension reason");
  const doc = await transition(
    rt,
    id,
    ["active", "suspended"],
    { status: "suspended", statusReason: reason, suspendedAt: new Date() },
    "suspend",
    (d) => ({ type: "tenant.suspended", data: { tenantId: id, slug: d.slug, reason } }),
  );
  const tenant = toTenantRecord(doc);
  const sessionsRevoked = await revokeSessions(rt, tenant, "tenant_suspended");
  await rt.audit.record({
    actor,
    action: "tenant.suspended",
    tenantId: id,
    tenantSlug: doc.slug,
    details: { reason, sessionsRevoked },
  });
  return { tenant, sessionsRevoked };
}

export async function resume(
  rt: TenancyRuntime,
  id: string,
  actor: AuditActor,
): Promise<TenantRecord> {
  const doc = await transition(
    rt,
    id,
    ["suspended"],
    { status: "active", statusReason: null, suspendedAt: null },
    "resume",
    (d) => ({ type: "tenant.resumed", data: { tenantId: id, slug: d.slug } }),
  );
  // A sign-in or refresh admitted just before the suspension may have written its session after
  // the suspension's sweep. No sign-in is admitted while suspended, so every live session now is
  // such a late one (or one racing this very resume, which then signs in again): end them all.
  // No timestamps are compared, so clocks of other instances do not matter.
  const tenant = toTenantRecord(doc);
  const sessionsRevoked = await revokeSessions(rt, tenant, "tenant_suspended");
  await rt.audit.record({
    actor,
    action: "tenant.resumed",
    tenantId: id,
    tenantSlug: doc.slug,
    details: { lateSessionsRevoked: sessionsRevoked },
  });
  return tenant;
}

export async function softDelete(
  rt: TenancyRuntime,
  id: string,
  actor: AuditActor,
): Promise<TenantRecord> {
  const current = await load(rt, id);
  if (current.status === "purged") throw new TenantDeleted(id);
  if (current.status !== "active" && current.status !== "suspended")
    throw new InvalidInput(`Cannot delete a tenant that is ${current.status}`);
  const now = new Date();
  const purgeAfter = new Date(now.getTime() + rt.config.deleteGraceMs);
  // A restore returns the tenant as it was, suspension (and its reason) included.
  const restoreTo =
    current.status === "suspended"
      ? { status: "suspended", reason: current.statusReason }
      : { status: "active", reason: null };
  const doc = await transition(
    rt,
    id,
    [current.status],
    { status: "deleted", deletedAt: now, purgeAfter, restoreTo },
    "delete",
    (d) => ({
      type: "tenant.deleted",
      data: { tenantId: id, slug: d.slug, purgeAfter: purgeAfter.toISOString() },
    }),
  );
  // Offboarding ends every sign-in, as suspension does; a restore brings back data, not sessions.
  const sessionsRevoked = await revokeSessions(rt, toTenantRecord(doc), "tenant_deleted");
  rt.handles.forget(id);
  await rt.audit.record({
    actor,
    action: "tenant.deleted",
    tenantId: id,
    tenantSlug: doc.slug,
    details: { purgeAfter, sessionsRevoked },
  });
  return toTenantRecord(doc);
}

export async function restore(
  rt: TenancyRuntime,
  id: string,
  actor: AuditActor,
): Promise<TenantRecord> {
  const current = await load(rt, id);
  if (current.status !== "deleted")
    throw new InvalidInput(`Cannot restore a tenant that is ${current.status}`);
  if (current.purgeAfter && current.purgeAfter.getTime() < Date.now()) {
    throw new InvalidInput("The restore grace period is over; the tenant can only be purged");
  }
  const back = current.restoreTo ?? { status: "active", reason: null };
  const set = {
    status: back.status,
    statusReason: back.reason,
    deletedAt: null,
    purgeAfter: null,
    restoreTo: null,
  };
  const doc = await transition(rt, id, ["deleted"], set, "restore");
  // Same rule as resume: a session written while the tenant was deleted does not come back.
  await revokeSessions(rt, toTenantRecord(doc), "tenant_deleted");
  await rt.audit.record({
    actor,
    action: "tenant.restored",
    tenantId: id,
    tenantSlug: doc.slug,
    details: { status: doc.status },
  });
  return toTenantRecord(doc);
}

export interface PurgeReceipt {
  tenantId: string;
  slug: string;
  dbName: string;
  cluster: string;
  purgedAt: Date;
  directoryEntriesRemoved: number;
}

/**
 * Drops the tenant's database and directory entries; the record stays as status "purged" with
 * its slug released, and the audit log keeps the receipt. Only a deleted tenant can be purged.
 */
export async function purge(
  rt: TenancyRuntime,
  id: string,
  actor: AuditActor,
): Promise<PurgeReceipt> {
  const current = await load(rt, id);
  if (current.status === "purged") throw new TenantDeleted(id);
  if (current.status !== "deleted") throw new InvalidInput("Delete the tenant before purging it");
  const record = toTenantRecord(current);
  rt.handles.forget(id);
  await withHandle(rt, record, async ({ conn }) => {
    await conn.dropDatabase();
  });
  rt.handles.forget(id);
  const removed = await rt.directory.removeTenant(id);
  const purgedAt = new Date();
  await transition(
    rt,
    id,
    ["deleted"],
    // Release the slug for reuse; "~" cannot occur in a valid slug, so this never collides.
    { status: "purged", purgedAt, slug: `${current.slug}~purged~${id}` },
    "purge",
    () => ({ type: "tenant.purged", data: { tenantId: id, slug: current.slug } }),
  );
  if (await rt.clusters.dedicatedPool(current.cluster))
    await rt.clusters.removeDedicatedPool(current.cluster);
  const receipt: PurgeReceipt = {
    tenantId: id,
    slug: current.slug,
    dbName: current.dbName,
    cluster: current.cluster,
    purgedAt,
    directoryEntriesRemoved: removed,
  };
  await rt.audit.record({
    actor,
    action: "tenant.purged",
    tenantId: id,
    tenantSlug: current.slug,
    details: { ...receipt },
  });
  return receipt;
}

/**
 * Renames a tenant (its display name; the slug stays). Any status but purged: the old name is
 * read and replaced in one atomic update, so the audit entry's `from` is the name it replaced.
 * The same name again changes nothing and is not audited.
 */
export async function rename(
  rt: TenancyRuntime,
  id: string,
  rawName: string,
  actor: AuditActor,
): Promise<TenantRecord> {
  const name = parseOrThrow(tenantNameSchema, rawName, "organisation name");
  const current = await load(rt, id);
  if (current.status === "purged") throw new TenantDeleted(id);
  if (current.name === name) return toTenantRecord(current);
  const before = await rt.control.Tenant.findOneAndUpdate(
    { _id: current._id, status: { $nin: ["purged", "provisioning"] } },
    { $set: { name } },
    { returnDocument: "before" },
  ).lean<TenantDoc>();
  if (!before) throw new TenantDeleted(id); // purged meanwhile
  await rt.registry.announce(id);
  await rt.audit.record({
    actor,
    action: "tenant.renamed",
    tenantId: id,
    tenantSlug: before.slug,
    details: { from: before.name, to: name },
  });
  return toTenantRecord({ ...before, name });
}

/**
 * Moves a busy tenant onto a pool (client) of its own over the same servers; its data does not
 * move. Handles are re-created on the next request; leased ones finish on the old pool.
 */
export async function dedicatePool(
  rt: TenancyRuntime,
  id: string,
  actor: AuditActor,
): Promise<TenantRecord> {
  const current = await load(rt, id);
  if (current.status === "purged") throw new TenantDeleted(id);
  if (await rt.clusters.dedicatedPool(current.cluster)) return toTenantRecord(current);
  const pool = await rt.clusters.createDedicatedPool(id, current.slug, current.cluster);
  const doc = await rt.control.Tenant.findOneAndUpdate(
    { _id: current._id, cluster: current.cluster },
    { $set: { cluster: pool } },
    { returnDocument: "after" },
  ).lean<TenantDoc>();
  if (!doc) throw new InvalidInput("The tenant moved while its pool was being created; retry");
  await rt.registry.announce(id);
  rt.handles.forget(id);
  await rt.audit.record({
    actor,
    action: "tenant.pool.dedicated",
    tenantId: id,
    tenantSlug: doc.slug,
    details: { pool, from: current.cluster },
  });
  return toTenantRecord(doc);
}

/** Returns a tenant from its dedicated pool to the shared cluster it came from. */
export async function releasePool(
  rt: TenancyRuntime,
  id: string,
  actor: AuditActor,
): Promise<TenantRecord> {
  const current = await load(rt, id);
  const pool = await rt.clusters.dedicatedPool(current.cluster);
  if (!pool?.sourceCluster) return toTenantRecord(current);
  const doc = await rt.control.Tenant.findOneAndUpdate(
    { _id: current._id, cluster: current.cluster },
    { $set: { cluster: pool.sourceCluster } },
    { returnDocument: "after" },
  ).lean<TenantDoc>();
  if (!doc) throw new InvalidInput("The tenant moved meanwhile; retry");
  await rt.registry.announce(id);
  rt.handles.forget(id);
  await rt.clusters.removeDedicatedPool(pool.name);
  await rt.audit.record({
    actor,
    action: "tenant.pool.released",
    tenantId: id,
    tenantSlug: doc.slug,
    details: { pool: pool.name, to: pool.sourceCluster },
  });
  return toTenantRecord(doc);
}

/** Purges every soft-deleted tenant whose grace period is over; failures are reported, not thrown. */
export async function purgeExpired(
  rt: TenancyRuntime,
  actor: AuditActor,
): Promise<{ purged: PurgeReceipt[]; failed: { tenantId: string; error: string }[] }> {
  const due = await rt.control.Tenant.find({ status: "deleted", purgeAfter: { $lt: new Date() } })
    .select({ _id: 1 })
    .lean<Pick<TenantDoc, "_id">[]>();
  const out: { purged: PurgeReceipt[]; failed: { tenantId: string; error: string }[] } = {
    purged: [],
    failed: [],
  };
  for (const { _id } of due) {
    try {
      out.purged.push(await purge(rt, _id.toHexString(), actor));
    } catch (err) {
      out.failed.push({ tenantId: _id.toHexString(), error: (err as Error).message });
    }
  }
  return out;
}

export type { TenantRecord };
