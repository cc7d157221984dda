// Control-plane audit trail: who did what to which tenant, when. Purge receipts live here.
import { Types } from "mongoose";

import type { AuditActor, AuditDoc, ControlModels } from "./control-models";
import { InvalidInput } from "./errors";
import { literalRegex } from "./literal-regex";

export interface AuditEntryInput {
  actor: AuditActor;
  /** One of CONTROL_AUDIT_ACTIONS (policies/audit-actions.ts) for platform actions. */
  action: string;
  tenantId?: string | null;
  tenantSlug?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actor: AuditActor;
  action: string;
  tenantId: string | null;
  tenantSlug: string | null;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface AuditListFilter {
  action?: string;
  tenantId?: string;
  /**
   * The tenant as a person names it: its id, its exact slug or the start of its name (any case).
   * Names nobody has: no entries, not an error.
   */
  tenant?: string;
  /** Matches the actor's id or email. */
  actor?: string;
  cursor?: string;
  limit?: number;
}

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, email: null };

function toEntry(doc: AuditDoc): AuditEntry {
  return {
    id: doc._id.toHexString(),
    at: doc.at,
    actor: { type: doc.actor.type, id: doc.actor.id ?? null, email: doc.actor.email ?? null },
    action: doc.action,
    tenantId: doc.tenantId ? doc.tenantId.toHexString() : null,
    tenantSlug: doc.tenantSlug ?? null,
    target: doc.target ?? null,
    details: doc.details ?? {},
    ip: doc.ip ?? null,
  };
}

function encodeCursor(entry: AuditEntry): string {
  return Buffer.from(`${entry.at.getTime()}:${entry.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const [ms, id] = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  const at = new Date(Number(ms));
  if (!id || !Types.ObjectId.isValid(id) || Number.isNaN(at.getTime()))
    throw new InvalidInput("Invalid audit cursor");
  return { at, id: new Types.ObjectId(id) };
}

export class AuditLog {
  constructor(private readonly models: ControlModels) {}

  async record(entry: AuditEntryInput): Promise<AuditEntry> {
    if (!entry.action) throw new InvalidInput("Audit entry needs an action");
    const tenantId =
      entry.tenantId && Types.ObjectId.isValid(entry.tenantId)
        ? new Types.ObjectId(entry.tenantId)
        : null;
    const { ip: actorIp, ...actor } = entry.actor;
    const doc = await this.models.Audit.create({
      at: new Date(),
      actor,
      action: entry.action,
      tenantId,
      tenantSlug: entry.tenantSlug ?? null,
      target: entry.target ?? null,
      details: entry.details ?? {},
      ip: entry.ip ?? actorIp ?? null,
    });
    return toEntry(doc.toObject());
  }

  /**
   * The tenants a typed name means: an id, the exact slug (a purged tenant's too: purging renames
   * its slug to `<slug>~purged~<id>`) or a name prefix, case-insensitive; at most 100 of them.
   */
  private async tenantsNamed(
    text: string,
  ): Promise<{ ids: Types.ObjectId[]; slug: string | null }> {
    const typed = text.trim();
    if (!typed) return { ids: [], slug: null };
    const slug = typed.toLowerCase();
    const or: Record<string, unknown>[] = [
      { slug },
      { slug: new RegExp(`^${literalRegex(slug).source}~purged~`) },
      { name: new RegExp(`^${literalRegex(typed).source}`, "i") },
    ];
    const byId = /^[0-9a-f]{24}$/i.test(typed) ? new Types.ObjectId(typed) : null;
    if (byId) or.push({ _id: byId });
    const docs = await this.models.Tenant.find({ $or: or })
      .select({ _id: 1 })
      .limit(100)
      .lean<{ _id: Types.ObjectId }[]>();
    const ids = docs.map((d) => d._id);
    if (byId && !ids.some((id) => id.equals(byId))) ids.push(byId);
    return { ids, slug: byId ? null : slug };
  }

  /** Newest first; pass nextCursor back as cursor for the next page. */
  async list(
    filter: AuditListFilter = {},
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
    const query: Record<string, unknown> = {};
    if (filter.action) query.action = filter.action;
    if (filter.tenantId) {
      if (!Types.ObjectId.isValid(filter.tenantId)) return { items: [], nextCursor: null };
      query.tenantId = new Types.ObjectId(filter.tenantId);
    }
    const and: Record<string, unknown>[] = [];
    if (filter.tenant) {
      const named = await this.tenantsNamed(filter.tenant);
      if (!named.ids.length && !named.slug) return { items: [], nextCursor: null };
      // By id, and by the slug stored on the entry: a rolled-back provisioning left no record.
      and.push({
        $or: [
          { tenantId: { $in: named.ids } },
          ...(named.slug ? [{ tenantSlug: named.slug }] : []),
        ],
      });
    }
    if (filter.actor)
      and.push({
        $or: [{ "actor.id": filter.actor }, { "actor.email": filter.actor.toLowerCase() }],
      });
    if (filter.cursor) {
      const c = decodeCursor(filter.cursor);
      and.push({ $or: [{ at: { $lt: c.at } }, { at: c.at, _id: { $lt: c.id } }] });
    }
    if (and.length) query.$and = and;
    const docs = await this.models.Audit.find(query)
      .sort({ at: -1, _id: -1 })
      .limit(limit + 1)
      .lean<AuditDoc[]>();
    const items = docs.slice(0, limit).map(toEntry);
    const last = items.at(-1);
    return { items, nextCursor: docs.length > limit && last ? encodeCursor(last) : null };
  }
}
