// The bench's tenants, provisioned through @tenantry/tenancy in the bench process (not through the
// admin API: 10,000 HTTP provisions plus logins do not fit the time budget). Each tenant gets its
// owner (from provisioning), a few notes, and a signed-in session: a session row plus an access
// token from the API's own signer — what auth.login would hand back, without 10,000 logins.
import { createHash, randomBytes, randomUUID } from "node:crypto";

import { createApiServices } from "@tenantry/api";
import type { ApiServices } from "@tenantry/api";
import { createTenancy } from "@tenantry/tenancy";
import type { Tenancy, TenantMigration } from "@tenantry/tenancy";
import pino from "pino";

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

const BENCH_JWT = { issuer: "tenantry-bench", audience: "tenantry-api" };
const CHEAP_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export async function openTenancy(
  cfg: FleetConfig,
  migrations: TenantMigration[] = [],
): Promise<Tenancy> {
  return createTenancy({
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
    readonly tenancy: Tenancy,
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
    });
    const token = await this.tenancy.withTenant(rec.id, async ({ models }) => {
      const owner = await models.User.findOne({}).lean();
      if (!owner) throw new Error(`tenant ${slug} has no owner after provisioning`);
      await models.Note.insertMany(
        Array.from({ length: this.cfg.notesPerTenant }, (_, k) => ({
          title: `Note ${k} of ${slug}`,
          body: `Body of note ${k}: ${"lorem ipsum ".repeat(8)}`,
          tags: [k % 2 ? "odd" : "even"],
          authorId: owner._id,
          authorName: owner.name,
        })),
      );
      const sid = randomUUID();
      await models.Session.create({
        userId: owner._id,
        tokenHash: createHash("sha256").update(randomBytes(32)).digest("hex"),
        familyId: sid,
        expiresAt: new Date(Date.now() + 24 * 3600_000),
      });
      const signed = await this.services.tokens.signTenant({
        sub: owner._id.toString(),
        tid: rec.id,
        role: "owner",
        sid,
      });
      return signed.token;
    });
    return { index: i, id: rec.id, slug, dbName: rec.dbName, token };
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
