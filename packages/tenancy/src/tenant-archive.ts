// Portable tenant archives: a gzip'd file of canonical-EJSON lines —
//   header, then per collection {collection + index specs} followed by its documents, then end.
// Canonical EJSON keeps BSON types (ObjectId, Date, int vs double) exact across the round trip.
// Refresh-token sessions are left out: they are bound to the old tenant id and useless elsewhere.
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

import type { Db, Document } from "mongodb";
import { BSON } from "mongodb";
import { Types } from "mongoose";
import { z } from "zod";

import type { AuditActor, TenantDoc } from "./control-models";
import { EXPORT_FILE_MODE } from "./export-folder";
import { InvalidInput, SlugTaken, TenancyError, TenantNotFound } from "./errors";
import { latestVersion, migrateTenantDatabase } from "./migrations";
import {
  activate,
  claimProvisioning,
  exclusiveBySlug,
  markStep,
  parseOrThrow,
  rollbackProvisioning,
  slugSchema,
  tenantNameSchema,
} from "./provision";
import type { TenantRecord } from "./tenant-registry";
import { toTenantRecord } from "./tenant-registry";
import type { TenancyRuntime } from "./tenancy-runtime";
import { withHandle } from "./tenancy-runtime";

export const ARCHIVE_FORMAT = "tenantry-tenant-archive";
export const ARCHIVE_FORMAT_VERSION = 1;
const OMITTED_DATA = new Set(["sessions"]);
const INDEX_OPTION_KEYS = [
  "unique",
  "sparse",
  "expireAfterSeconds",
  "partialFilterExpression",
  "collation",
] as const;
const INSERT_BATCH = 500;

const collectionNameSchema = z.string().regex(/^(?!system\.)[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}$/);

const headerSchema = z.object({
  kind: z.literal("header"),
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.literal(ARCHIVE_FORMAT_VERSION),
  exportedAt: z.string(),
  tenant: z.object({
    slug: z.string(),
    name: z.string(),
    plan: z.string(),
    modules: z.array(z.string()),
    limits: z.record(z.string(), z.number()),
  }),
  schemaVersion: z.number().int().min(0),
  omittedData: z.array(z.string()),
});

const indexSpecSchema = z
  .object({ key: z.record(z.string(), z.unknown()), name: z.string() })
  .loose();

const lineSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("collection"),
    name: collectionNameSchema,
    indexes: z.array(indexSpecSchema),
  }),
  z.object({
    kind: z.literal("doc"),
    c: collectionNameSchema,
    d: z.record(z.string(), z.unknown()),
  }),
  z.object({ kind: z.literal("end"), counts: z.record(z.string(), z.number()) }),
]);

export type ArchiveHeader = z.infer<typeof headerSchema>;

/** Progress of an export or import, for a CLI progress bar; totals are null when unknown. */
export interface ArchiveProgress {
  phase: "collections" | "documents" | "indexes" | "migrate";
  docsDone: number;
  docsTotal: number | null;
  bytesDone: number;
  bytesTotal: number | null;
  collection?: string;
}

export interface ArchiveOptions {
  onProgress?: (p: ArchiveProgress) => void;
}

const PROGRESS_EVERY_DOCS = 100;

/** A throwing progress callback must not fail the export/import it reports on. */
function progressReporter(rt: TenancyRuntime, opts: ArchiveOptions): (p: ArchiveProgress) => void {
  return (p) => {
    try {
      opts.onProgress?.(p);
    } catch (err) {
      rt.config.logger.warn({ err: (err as Error).message }, "archive onProgress threw");
    }
  };
}

export interface ArchiveSummary {
  file: string;
  bytes: number;
  counts: Record<string, number>;
  schemaVersion: number;
}

function ejsonLine(value: unknown): string {
  return `${BSON.EJSON.stringify(value, { relaxed: false })}\n`;
}

function sanitizeIndex(spec: Document): Document {
  const out: Document = { key: spec.key, name: spec.name };
  for (const k of INDEX_OPTION_KEYS) if (spec[k] !== undefined) out[k] = spec[k];
  return out;
}

export async function exportTenant(
  rt: TenancyRuntime,
  id: string,
  file: string,
  opts: ArchiveOptions = {},
): Promise<ArchiveSummary> {
  const record = await rt.registry.get(id);
  if (record.status === "purged" || record.status === "provisioning") throw new TenantNotFound(id);
  const counts: Record<string, number> = {};
  const tmp = `${file}.partial-${process.pid}`;
  await withHandle(rt, record, async ({ conn }) => {
    const db = conn.db;
    if (!db) throw new Error("tenant handle has no database");
    const names = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((n) => !n.startsWith("system."))
      .sort();
    const notify = progressReporter(rt, opts);
    let docsTotal = 0;
    for (const name of names)
      if (!OMITTED_DATA.has(name)) docsTotal += await db.collection(name).estimatedDocumentCount();
    let docsDone = 0;
    let bytesDone = 0; // compressed bytes written so far
    const report = (phase: ArchiveProgress["phase"], collection?: string): void =>
      notify({
        phase,
        docsDone,
        docsTotal,
        bytesDone,
        bytesTotal: null,
        ...(collection ? { collection } : {}),
      });
    report("collections");
    async function* lines(): AsyncGenerator<string> {
      const header: ArchiveHeader = {
        kind: "header",
        format: ARCHIVE_FORMAT,
        formatVersion: ARCHIVE_FORMAT_VERSION,
        exportedAt: new Date().toISOString(),
        tenant: {
          slug: record.slug,
          name: record.name,
          plan: record.plan,
          modules: record.modules,
          limits: record.limits,
        },
        schemaVersion: record.schemaVersion,
        omittedData: [...OMITTED_DATA],
      };
      yield ejsonLine(header);
      for (const name of names) {
        if (!db) return;
        const coll = db.collection(name);
        const indexes = (await coll.listIndexes().toArray())
          .filter((i) => i.name !== "_id_")
          .map(sanitizeIndex);
        yield ejsonLine({ kind: "collection", name, indexes });
        counts[name] = 0;
        report("collections", name);
        if (OMITTED_DATA.has(name)) continue;
        for await (const doc of coll.find({}, { sort: { _id: 1 } })) {
          counts[name]++;
          docsDone++;
          yield ejsonLine({ kind: "doc", c: name, d: doc });
          if (docsDone % PROGRESS_EVERY_DOCS === 0) report("documents", name);
        }
        report("documents", name);
      }
      yield ejsonLine({ kind: "end", counts });
    }
    try {
      const countBytes = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytesDone += chunk.length;
          done(null, chunk);
        },
      });
      // 0600: the archive holds password hashes (see export-folder.ts); the umask can only narrow it.
      await pipeline(
        Readable.from(lines()),
        createGzip(),
        countBytes,
        createWriteStream(tmp, { mode: EXPORT_FILE_MODE }),
      );
      await rename(tmp, file); // a reader never sees half an archive
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  });
  const { size } = await stat(file);
  return { file, bytes: size, counts, schemaVersion: record.schemaVersion };
}

async function* readLines(file: string, onBytes?: (n: number) => void): AsyncGenerator<Document> {
  const raw = createReadStream(file);
  if (onBytes) raw.on("data", (chunk) => onBytes(chunk.length));
  const rl = createInterface({ input: raw.pipe(createGunzip()), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try {
      // Documents keep exact BSON types (canonical); framing lines read as plain values.
      const parsed = JSON.parse(line) as Document;
      if (parsed.kind === "doc")
        yield { ...parsed, d: BSON.EJSON.deserialize(parsed.d as Document, { relaxed: false }) };
      else yield BSON.EJSON.deserialize(parsed, { relaxed: true });
    } catch (err) {
      throw new InvalidInput(`Archive line ${n} is not valid EJSON: ${(err as Error).message}`);
    }
  }
}

export async function readArchiveHeader(file: string): Promise<ArchiveHeader> {
  try {
    for await (const first of readLines(file))
      return parseOrThrow(headerSchema, first, "archive header");
  } catch (err) {
    if (err instanceof TenancyError) throw err;
    throw new InvalidInput(`Not a readable tenant archive: ${(err as Error).message}`);
  }
  throw new InvalidInput("The archive is empty");
}

const importSchema = z.object({
  slug: slugSchema,
  name: tenantNameSchema.optional(),
  cluster: z.string().min(1).max(40).optional(),
});

/** Restores an archive into a new tenant (new id, new database); all-or-nothing. */
export async function importTenant(
  rt: TenancyRuntime,
  file: string,
  rawInput: { slug: string; name?: string; cluster?: string },
  actor: AuditActor,
  opts: ArchiveOptions = {},
): Promise<TenantRecord> {
  const input = parseOrThrow(importSchema, rawInput, "import");
  const header = await readArchiveHeader(file);
  if (header.schemaVersion > latestVersion(rt.migrations)) {
    throw new InvalidInput(
      `Archive schema version ${header.schemaVersion} is newer than this deployment's (${latestVersion(rt.migrations)})`,
    );
  }
  return exclusiveBySlug(rt, input.slug, async () => {
    const { Tenant } = rt.control;
    const existing = await Tenant.findOne({ slug: input.slug }).lean<TenantDoc>();
    if (existing) {
      // A crashed import of the same slug is cleared away; anything else owns the slug.
      const stale =
        existing.status === "provisioning" && existing.provisioning?.kind === "import"
          ? await claimProvisioning(rt, existing._id)
          : null;
      if (!stale) throw new SlugTaken(input.slug);
      await rollbackProvisioning(rt, stale, actor);
    }
    const cluster = await rt.clusters.choose(input.cluster);
    const _id = new Types.ObjectId();
    let doc: TenantDoc;
    try {
      doc = (
        await Tenant.create({
          _id,
          slug: input.slug,
          name: input.name ?? header.tenant.name,
          status: "provisioning",
          dbName: `t_${_id.toHexString()}`,
          cluster,
          plan: header.tenant.plan,
          modules: header.tenant.modules,
          limits: header.tenant.limits,
          schemaVersion: 0,
          provisioning: {
            step: "record",
            kind: "import",
            ownerEmail: null,
            claimedBy: rt.instanceId,
            claimedUntil: new Date(Date.now() + rt.config.provisionLeaseMs),
          },
        })
      ).toObject();
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new SlugTaken(input.slug);
      throw err;
    }
    const record = toTenantRecord(doc);
    try {
      await withHandle(rt, record, async (scope) => {
        const progress = await restoreDatabase(scope.conn.db, file, progressReporter(rt, opts));
        progress("migrate");
        const migrated = await migrateTenantDatabase(scope, rt.migrations, {
          owner: rt.instanceId,
          lockMs: 10 * 60_000,
        });
        await markStep(rt, doc, "database", { schemaVersion: migrated.to });
        const users = await scope.models.User.find({}).select({ email: 1, role: 1 }).lean();
        for (const user of users) {
          await rt.directory.add({
            email: user.email,
            tenantId: record.id,
            role: user.role,
            userId: user._id.toHexString(),
          });
        }
        await markStep(rt, doc, "directory");
      });
      return await activate(rt, doc, actor, "tenant.imported");
    } catch (err) {
      await rollbackProvisioning(rt, doc, actor).catch((rollbackErr: unknown) => {
        rt.config.logger.error(
          { slug: input.slug, err: (rollbackErr as Error).message },
          "import rollback failed; the recovery sweep will retry",
        );
      });
      if (err instanceof TenancyError) throw err;
      throw new InvalidInput(`The archive could not be imported: ${(err as Error).message}`);
    }
  });
}

/** Restores the archive's collections; returns a reporter for the phases that follow. */
async function restoreDatabase(
  db: Db | undefined,
  file: string,
  notify: (p: ArchiveProgress) => void,
): Promise<(phase: ArchiveProgress["phase"]) => void> {
  if (!db) throw new Error("tenant handle has no database");
  const bytesTotal = (await stat(file)).size;
  let bytesDone = 0;
  let docsDone = 0;
  const report = (phase: ArchiveProgress["phase"], collection?: string): void =>
    notify({
      phase,
      docsDone,
      docsTotal: null,
      bytesDone,
      bytesTotal,
      ...(collection ? { collection } : {}),
    });
  const indexes = new Map<string, Document[]>();
  let batch: Document[] = [];
  let batchColl: string | null = null;
  let ended = false;
  const flush = async (): Promise<void> => {
    if (batchColl && batch.length)
      await db.collection(batchColl).insertMany(batch, { ordered: true });
    batch = [];
  };
  let first = true;
  for await (const raw of readLines(file, (n) => (bytesDone += n))) {
    if (first) {
      first = false; // header, validated already
      continue;
    }
    const line = parseOrThrow(lineSchema, raw, "archive line");
    if (line.kind === "collection") {
      await flush();
      await db.createCollection(line.name).catch((err: unknown) => {
        if ((err as { code?: number }).code !== 48) throw err;
      });
      indexes.set(line.name, line.indexes.map(sanitizeIndex));
      batchColl = line.name;
      report("collections", line.name);
    } else if (line.kind === "doc") {
      if (line.c !== batchColl)
        throw new InvalidInput(`Archive document for "${line.c}" outside its collection section`);
      batch.push(line.d);
      docsDone++;
      if (batch.length >= INSERT_BATCH) await flush();
      if (docsDone % PROGRESS_EVERY_DOCS === 0) report("documents", line.c);
    } else {
      await flush();
      ended = true;
    }
  }
  if (!ended) throw new InvalidInput("The archive is truncated (no end marker)");
  report("documents");
  for (const [name, specs] of indexes) {
    report("indexes", name);
    if (specs.length) await db.collection(name).createIndexes(specs as never);
  }
  // A migration lock copied from the source would block the new tenant.
  await db.collection("_meta").updateMany({}, { $set: { lock: null } });
  return (phase) => report(phase);
}
