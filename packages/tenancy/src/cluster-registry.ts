// Named clusters in the control DB. URIs are stored AES-256-GCM encrypted and no method here
// returns one; the decrypted URI only ever reaches ClusterClients.
import { MongoClient } from "mongodb";
import { Types } from "mongoose";
import { z } from "zod";

import type { ClusterClients } from "./cluster-clients";
import { DEFAULT_CLUSTER } from "./cluster-clients";
import { decryptUri, encryptUri, redactUri } from "./cluster-crypto";
import type { ClusterUriPolicy } from "./cluster-uri-policy";
import { assertClusterUriAllowed } from "./cluster-uri-policy";
import type { TenancyLogger } from "./tenancy-logger";
import type { ClusterDoc, ControlModels } from "./control-models";
import { ClusterNotFound, InvalidInput } from "./errors";

export interface ClusterInfo {
  name: string;
  tenantCount: number;
  healthy: boolean;
  /** For a dedicated pool: the tenant it serves. */
  dedicatedTo: string | null;
}

const addSchema = z.object({
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$|^[a-z0-9]$/,
      "lowercase letters, digits and dashes, up to 40",
    ),
  uri: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, "must be a mongodb:// or mongodb+srv:// URI"),
  verify: z.boolean().optional(),
});

/** Tenants that still occupy a database on their cluster. */
const OCCUPYING = { status: { $ne: "purged" as const } };

export class ClusterRegistry {
  constructor(
    private readonly models: ControlModels,
    private readonly clients: ClusterClients,
    private readonly key: Buffer,
    private readonly unavailableAfterMs: number,
    private readonly uriPolicy: ClusterUriPolicy,
    private readonly logger: TenancyLogger,
  ) {}

  /** Registers (or re-keys) the control cluster as "default"; runs at every start. */
  async ensureDefault(controlUri: string): Promise<void> {
    await this.models.Cluster.updateOne(
      { name: DEFAULT_CLUSTER },
      { $set: { uriEncrypted: encryptUri(this.key, DEFAULT_CLUSTER, controlUri) } },
      { upsert: true },
    );
  }

  /**
   * Adds a cluster; by default checks that it answers first so a typo fails here, not later. The
   * URI passes the policy (cluster-uri-policy.ts) before any connection is opened.
   */
  async add(input: { name: string; uri: string; verify?: boolean }): Promise<{ name: string }> {
    const parsed = addSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidInput(
        "Invalid cluster",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      );
    }
    const { name, uri, verify = true } = parsed.data;
    assertClusterUriAllowed(uri, this.uriPolicy);
    if (await this.models.Cluster.exists({ name }))
      throw new InvalidInput(`Cluster "${name}" already exists`);
    if (verify) {
      const probe = new MongoClient(uri, {
        serverSelectionTimeoutMS: this.unavailableAfterMs,
        connectTimeoutMS: this.unavailableAfterMs,
      });
      try {
        await probe.connect();
        await probe.db("admin").command({ ping: 1 });
      } catch (err) {
        // One message for every failure: the driver's (refused, closed, timed out, no such file)
        // would tell a caller what listens where on this server's network. The log has it.
        this.logger.warn(
          { cluster: name, uri: redactUri(uri), err: (err as Error).message },
          "cluster did not answer",
        );
        throw new InvalidInput(
          `Cluster "${name}" did not answer; check the URI and that it accepts connections from this server`,
        );
      } finally {
        await probe.close().catch(() => undefined);
      }
    }
    try {
      await this.models.Cluster.create({ name, uriEncrypted: encryptUri(this.key, name, uri) });
    } catch (err) {
      if ((err as { code?: number }).code === 11000)
        throw new InvalidInput(`Cluster "${name}" already exists`);
      throw err;
    }
    return { name };
  }

  /** Shared clusters, by name (dedicated pools are not placement targets). */
  async names(): Promise<string[]> {
    const docs = await this.models.Cluster.find({ dedicatedTo: null })
      .select({ name: 1 })
      .sort({ name: 1 })
      .lean<ClusterDoc[]>();
    return docs.map((d) => d.name);
  }

  async list(): Promise<ClusterInfo[]> {
    const docs = await this.models.Cluster.find({})
      .select({ name: 1, dedicatedTo: 1 })
      .sort({ name: 1 })
      .lean<ClusterDoc[]>();
    return Promise.all(
      docs.map(async ({ name, dedicatedTo }) => ({
        name,
        tenantCount: await this.models.Tenant.countDocuments({ cluster: name, ...OCCUPYING }),
        healthy: await this.clients.ping(name),
        dedicatedTo: dedicatedTo ? dedicatedTo.toHexString() : null,
      })),
    );
  }

  /**
   * Registers a dedicated pool for one tenant: the same servers (URI re-encrypted under the new
   * name) reached through a client of its own, so a busy tenant stops sharing sockets.
   */
  async createDedicatedPool(
    tenantId: string,
    slug: string,
    sourceCluster: string,
  ): Promise<string> {
    const name = `pool-${slug}`.slice(0, 40);
    const source = await this.models.Cluster.findOne({ name: sourceCluster })
      .select("+uriEncrypted")
      .lean<ClusterDoc>();
    if (!source) throw new ClusterNotFound(sourceCluster);
    const uri = decryptUri(this.key, sourceCluster, source.uriEncrypted);
    await this.models.Cluster.updateOne(
      { name },
      {
        $set: {
          uriEncrypted: encryptUri(this.key, name, uri),
          dedicatedTo: new Types.ObjectId(tenantId),
          sourceCluster,
        },
      },
      { upsert: true },
    );
    return name;
  }

  async removeDedicatedPool(name: string): Promise<void> {
    await this.models.Cluster.deleteOne({ name, dedicatedTo: { $ne: null } });
  }

  async dedicatedPool(name: string): Promise<ClusterDoc | null> {
    return this.models.Cluster.findOne({ name, dedicatedTo: { $ne: null } }).lean<ClusterDoc>();
  }

  /** The named cluster, or the one holding the fewest tenants (ties: by name). */
  async choose(named?: string): Promise<string> {
    const names = await this.names();
    if (named !== undefined) {
      if (!names.includes(named)) throw new ClusterNotFound(named);
      return named;
    }
    // With one shared cluster there is nothing to balance: skip the count, which reads every
    // tenant of the cluster and made provisioning slow down as the registry grew.
    if (names.length === 1 && names[0] !== undefined) return names[0];
    let best = DEFAULT_CLUSTER;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const name of names) {
      const count = await this.models.Tenant.countDocuments({ cluster: name, ...OCCUPYING });
      if (count < bestCount) {
        best = name;
        bestCount = count;
      }
    }
    return best;
  }
}
