// The bench's tenants, provisioned through @tenantry/tenancy in the bench process (not through the
// admin API: 10,000 HTTP provisions plus logins do not fit the time budget). Each tenant gets its
// owner (from provisioning), a few notes, and a signed-in session: a session row plus an access
// token from the API's own signer — what auth.login would hand back, without 10,000 logins.
import { createHash, randomBytes, randomUUID } from "node:crypto";

import { APP_MODULES, createApiServices } from "@tenantry/api";
import type { ApiServices, AppTenancy } from "@tenantry/api";
import { createTenancy } from "@tenantry/tenancy";
import type { TenantMigration } from "@tenantry/tenancy";
import { Types } from "mongoose";
import type { mongo } from "mongoose";
import pino from "pino";
import { controlModelsOf } from "@tenantry/tenancy/testing";

export interface BenchTenant {
  index: number;
  id: string;
  slug: string;
  dbName: string;
  token: string;
}

export interface FleetConfig {
  mongoUri: string;
  controlDbName: string;
  encryptionKey: string;
  jwtSecret: string;
  notesPerTenant: number;
  migrations?: TenantMigration[];
}

/** Slugs of tenants written by bulkGrow, so they can be taken out of the fleet in one command. */
const BULK_SLUG_PREFIX = "bench-bulk-";
/** Records removed per command by dropBulk. */
const DROP_SLICE = 2000;

export const BENCH_JWT = { issuer: "tenantry-bench", audience: "tenantry-api" };
const CHEAP_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export async function openTenancy(
  cfg: FleetConfig,
  migrations: TenantMigration[] = [],
): Promise<AppTenancy> {
  return createTenancy({
    modules: APP_MODULES,
    controlUri: cfg.mongoUri,
    controlDbName: cfg.controlDbName,
    encryptionKey: cfg.encryptionKey,
    passwordHashing: CHEAP_HASHING,
    cache: { maxHandles: 200 },
    migrations,
    recoverOnStart: false,
  });
}

export class Fleet {
  readonly tenants: BenchTenant[] = [];
  private constructor(
    readonly cfg: FleetConfig,
    readonly tenancy: AppTenancy,
    private readonly services: ApiServices,
  ) {}

  static async open(cfg: FleetConfig): Promise<Fleet> {
    const tenancy = await openTenancy(cfg);
    const services = await createApiServices({
      tenancy,
      // Tokens outlive the whole run (the default 15 minutes could lapse before the last scenario).
      jwt: { secret: cfg.jwtSecret, ...BENCH_JWT, accessTtlSeconds: 3 * 3600 },
      cookies: { secure: false },
      logger: pino({ level: "silent" }),
    });
    return new Fleet(cfg, tenancy, services);
  }

  /** Provisions and seeds tenants until `target` exist or `deadline` (epoch ms) passes. */
  async grow(
    target: number,
    opts: { concurrency: number; deadline?: number },
  ): Promise<{ added: number; elapsedMs: number }> {
    const start = this.tenants.length;
    let next = start;
    const t0 = performance.now();
    const worker = async () => {
      while (next < target && (opts.deadline === undefined || Date.now() < opts.deadline)) {
        const i = next++;
        this.tenants[i] = await this.seedOne(i);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    // A worker stopped by the deadline leaves no hole: seeded tenants are contiguous.
    const added = this.tenants.filter(Boolean).length - start;
    return { added, elapsedMs: performance.now() - t0 };
  }

  private async seedOne(i: number): Promise<BenchTenant> {
    const slug = `bench-${i}`;
    const rec = await this.tenancy.lifecycle.provision({
      slug,
      name: `Bench tenant ${i}`,
      owner: {
        email: `owner${i}@bench.test`,
        name: `Owner ${i}`,
        password: "correct horse battery staple",
      },
      // The bench measures the platform, not the free plan's limits.
      plan: "enterprise",
    });
    const token = await this.tenancy.withTenant(rec.id, async ({ models }) => {
      const owner = await models.User.findOne({}).lean();
      if (!owner) throw new Error(`tenant ${slug} has no owner after provisioning`);
      await models.Note.insertMany(this.notesFor(slug, owner));
      const sid = randomUUID();
      await models.Session.create({
        userId: owner._id,
        tokenHash: createHash("sha256").update(randomBytes(32)).digest("hex"),
        familyId: sid,
        expiresAt: new Date(Date.now() + 24 * 3600_000),
      });
      return this.signFor(rec.id, owner._id, sid);
    });
    return { index: i, id: rec.id, slug, dbName: rec.dbName, token };
  }

  /**
   * Adds tenants straight into the databases until `target` exist or `deadline` passes: for
   * fleets the saga cannot provision inside the bench's time budget (scenario 2's last step).
   * Each gets what a notes.list call reads — an active control record (copied from a
   * saga-provisioned tenant, so cluster, plan and schema version match), an owner and a live
   * session — and nothing else: no notes (an empty page still runs the whole request path), no
   * indexes beyond _id, no login directory entry, no audit trail. Two commands per tenant, so
   * 100,000 fit the bench's budget. Returns how many were added and how long it took.
   */
  async bulkGrow(
    target: number,
    opts: { concurrency: number; deadline?: number },
  ): Promise<{ added: number; elapsedMs: number }> {
    return this.writeCopies(target, opts, {
      batch: 250,
      async write(db, b) {
        await db.collection("users").insertOne(b.owner);
        await db.collection("sessions").insertOne(b.session);
      },
    });
  }

  /**
   * Adds tenants until `target` exist or `deadline` passes, each a copy of a saga-provisioned
   * tenant's database: its control record, migration ledger (`_meta`) and settings, plus an
   * owner, a session and the same notes `grow` writes. notes.list and migrateAll see what they
   * see on a provisioned tenant; what is left out is what neither reads (secondary indexes, the
   * login directory entry, the audit trail). The saga runs about 40 tenants/s here, so growing
   * scenario 2's fleet from 1,000 to 10,000 through it took 4 of `pnpm bench`'s 15 minutes.
   */
  async cloneGrow(
    target: number,
    opts: { concurrency: number; deadline?: number },
  ): Promise<{ added: number; elapsedMs: number }> {
    const model = this.tenants[0];
    if (!model) throw new Error("cloneGrow needs one saga-provisioned tenant to copy");
    const source = controlModelsOf(this.tenancy).Tenant.db.getClient().db(model.dbName);
    const ledger = await source.collection("_meta").find({}).toArray();
    const settings = await source.collection("settings").find({}).toArray();
    return this.writeCopies(target, opts, {
      batch: 100,
      slug: (i) => `bench-${i}`,
      write: (db, b) =>
        Promise.all([
          db.collection("_meta").insertMany(ledger.map((d) => ({ ...d, lock: null }))),
          db.collection("settings").insertMany(settings.map((d) => ({ ...d }))),
          db.collection("users").insertOne(b.owner),
          db.collection("sessions").insertOne(b.session),
          db.collection("notes").insertMany(
            this.notesFor(b.record.slug, b.owner).map((n) => ({
              ...n,
              createdAt: b.record.createdAt,
              updatedAt: b.record.createdAt,
              __v: 0,
            })),
          ),
        ]),
    });
  }

  /**
   * bulkGrow's and cloneGrow's loop: tenants from the fleet's size up to `target`, in batches
   * whose control records (copied from the first, saga-provisioned tenant's) go in one
   * insertMany, then each tenant's own documents by `how.write`. Workers stopped by the
   * deadline leave no hole: only the contiguous prefix is kept.
   */
  private async writeCopies(
    target: number,
    opts: { concurrency: number; deadline?: number },
    how: {
      batch: number;
      slug?: (i: number) => string;
      write: (db: mongo.Db, tenant: ReturnType<Fleet["bulkTenant"]>) => Promise<unknown>;
    },
  ): Promise<{ added: number; elapsedMs: number }> {
    const t0 = performance.now();
    const start = this.tenants.length;
    const { Tenant } = controlModelsOf(this.tenancy);
    const model = await Tenant.findById(this.tenants[0]?.id).lean();
    if (!model) throw new Error("copying tenants needs one saga-provisioned tenant to copy");
    const client = Tenant.db.getClient();
    let next = start;
    const worker = async () => {
      while (next < target && (opts.deadline === undefined || Date.now() < opts.deadline)) {
        const first = next;
        const count = Math.min(how.batch, target - first);
        next += count;
        const batch = Array.from({ length: count }, (_, k) =>
          this.bulkTenant(first + k, model, how.slug?.(first + k)),
        );
        await Tenant.collection.insertMany(batch.map((b) => b.record));
        for (const b of batch) {
          await how.write(client.db(b.record.dbName), b);
          this.tenants[b.index] = await this.benchTenant(b);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const firstHole = this.tenants.findIndex((t) => !t);
    if (firstHole >= 0) this.tenants.length = firstHole;
    return { added: this.tenants.length - start, elapsedMs: performance.now() - t0 };
  }

  /**
   * Takes the bulk-written tenants out again (their control records, so migrateAll and the later
   * scenarios see the fleet as it was before bulkGrow; their databases stay, unused). Returns how
   * many records were removed.
   */
  async dropBulk(): Promise<number> {
    const keep = this.tenants.findIndex((t) => t.slug.startsWith(BULK_SLUG_PREFIX));
    if (keep >= 0) this.tenants.length = keep;
    const { Tenant } = controlModelsOf(this.tenancy);
    // In slices of a few milliseconds each. One deleteMany of 100,000 records held the embedded
    // server's single thread for over a second: past tenancy's monitor timeout (unavailableAfterMs
    // less the heartbeat), so the driver cleared the pool and failed the delete itself.
    let removed = 0;
    for (;;) {
      const ids = await Tenant.find({ slug: { $regex: `^${BULK_SLUG_PREFIX}` } })
        .select({ _id: 1 })
        .limit(DROP_SLICE)
        .lean();
      if (ids.length === 0) return removed;
      const res = await Tenant.deleteMany({ _id: { $in: ids.map((d) => d._id) } });
      removed += res.deletedCount;
    }
  }

  private bulkTenant(i: number, model: object, slug = `${BULK_SLUG_PREFIX}${i}`) {
    const _id = new Types.ObjectId();
    const now = new Date();
    const owner = {
      _id: new Types.ObjectId(),
      email: `owner${i}@bench.test`,
      name: `Owner ${i}`,
      passwordHash: null,
      role: "owner",
      status: "active",
      lastLoginAt: null,
      passwordChangedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    return {
      index: i,
      record: {
        ...model,
        _id,
        slug,
        name: `Bench tenant ${i} (${slug.startsWith(BULK_SLUG_PREFIX) ? "bulk" : "copy"})`,
        dbName: `t_${_id.toHexString()}`,
        createdAt: now,
        updatedAt: now,
      },
      owner,
      session: {
        _id: new Types.ObjectId(),
        userId: owner._id,
        tokenHash: createHash("sha256").update(randomBytes(32)).digest("hex"),
        familyId: randomUUID(),
        expiresAt: new Date(Date.now() + 24 * 3600_000),
        revokedAt: null,
        revokedReason: null,
        replacedBy: null,
        impersonatedBy: null,
        userAgent: null,
        ip: null,
        createdAt: now,
        updatedAt: now,
      },
    };
  }

  private async benchTenant(b: ReturnType<Fleet["bulkTenant"]>): Promise<BenchTenant> {
    const id = b.record._id.toHexString();
    return {
      index: b.index,
      id,
      slug: b.record.slug,
      dbName: b.record.dbName,
      token: await this.signFor(id, b.owner._id, b.session.familyId),
    };
  }

  /** The notes every bench tenant starts with (`notesPerTenant`). */
  private notesFor(slug: string, owner: { _id: Types.ObjectId; name: string }) {
    return Array.from({ length: this.cfg.notesPerTenant }, (_, k) => ({
      title: `Note ${k} of ${slug}`,
      body: `Body of note ${k}: ${"lorem ipsum ".repeat(8)}`,
      tags: [k % 2 ? "odd" : "even"],
      authorId: owner._id,
      authorName: owner.name,
    }));
  }

  private async signFor(tenantId: string, ownerId: Types.ObjectId, sid: string): Promise<string> {
    const signed = await this.services.tokens.signTenant({
      sub: ownerId.toString(),
      tid: tenantId,
      role: "owner",
      sid,
    });
    return signed.token;
  }

  /** Adds `count` more notes to one tenant (the page in scenario 1, the heavy tenant in 5). */
  async addNotes(t: BenchTenant, count: number, body = "filler"): Promise<void> {
    await this.tenancy.withTenant(t.id, async ({ models }) => {
      const owner = await models.User.findOne({}).lean();
      if (!owner) throw new Error("no owner");
      for (let done = 0; done < count; done += 500) {
        const n = Math.min(500, count - done);
        await models.Note.insertMany(
          Array.from({ length: n }, (_, k) => ({
            title: `Extra note ${done + k}`,
            body: `${body} ${done + k} ${"dolor sit amet ".repeat(10)}`,
            tags: ["extra"],
            authorId: owner._id,
            authorName: owner.name,
          })),
        );
      }
    });
  }

  async close(): Promise<void> {
    await this.tenancy.shutdown({ timeoutMs: 2000 });
  }
}
