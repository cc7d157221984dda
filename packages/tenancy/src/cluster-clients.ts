// One mongoose base connection (one MongoClient, one socket pool) per cluster. Tenant handles
// hang off these via useDb; a non-control cluster's client closes once no handle references it
// for clusterIdleMs. The control cluster's client is the control connection and lives as long
// as the Tenancy instance.
import type { Connection } from "mongoose";
import mongoose from "mongoose";

import { decryptUri, redactUri } from "./cluster-crypto";
import type { TenancyLogger } from "./tenancy-logger";
import type { ClusterDoc, ControlModels } from "./control-models";
import { ClusterNotFound, TenantUnavailable } from "./errors";

export const DEFAULT_CLUSTER = "default";
const HEARTBEAT_MS = 500;

export interface ClusterClientOptions {
  maxPoolSize: number;
  unavailableAfterMs: number;
}

/** Connection options shared by the control connection and every cluster client. */
export function connectionOptions(opts: ClusterClientOptions): mongoose.ConnectOptions {
  return {
    maxPoolSize: opts.maxPoolSize,
    serverSelectionTimeoutMS: opts.unavailableAfterMs,
    // A hung (not refused) server: the monitor's hello times out after connectTimeoutMS and the
    // driver then interrupts in-flight operations, so heartbeat + timeout stays under the bound.
    heartbeatFrequencyMS: HEARTBEAT_MS,
    connectTimeoutMS: Math.max(500, opts.unavailableAfterMs - HEARTBEAT_MS),
    // Buffering would hold operations for 10 s while a cluster is down; fail fast instead.
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
  };
}

interface ClusterClient {
  name: string;
  conn: Connection;
  refs: number;
  sockets: number;
  idleTimer: NodeJS.Timeout | null;
  /** The control connection is owned by the Tenancy instance, not by this pool. */
  owned: boolean;
  /** False from a failed heartbeat until the next good one: the circuit breaker. */
  healthy: boolean;
  /** In-flight work on this cluster, told when the cluster stops answering. */
  outageListeners: Set<(err: Error) => void>;
}

/**
 * Counts pool sockets (CMAP events; monitor sockets are in no pool) and follows the driver's
 * heartbeats: a failed one opens the breaker and fails the cluster's in-flight work at once.
 */
function instrument(client: ClusterClient): void {
  const mongo = client.conn.getClient();
  mongo.on("connectionCreated", () => {
    client.sockets++;
  });
  mongo.on("connectionClosed", () => {
    client.sockets = Math.max(0, client.sockets - 1);
  });
  mongo.on("serverHeartbeatFailed", (event: { failure: Error }) => {
    client.healthy = false;
    const err = new TenantUnavailable(`Cluster "${client.name}" stopped answering`, undefined, {
      cause: event.failure,
    });
    for (const listener of [...client.outageListeners]) listener(err);
  });
  mongo.on("serverHeartbeatSucceeded", () => {
    client.healthy = true;
  });
}

export class ClusterClients {
  private readonly clients = new Map<string, ClusterClient>();
  private readonly opening = new Map<string, Promise<ClusterClient>>();
  /** A cluster that just failed to open is not redialled for a moment: its tenants fail fast. */
  private readonly openFailedAt = new Map<string, number>();

  constructor(
    private readonly control: Connection,
    private readonly models: ControlModels,
    private readonly key: Buffer,
    private readonly options: ClusterClientOptions & { clusterIdleMs: number },
    private readonly logger: TenancyLogger,
  ) {
    const client: ClusterClient = {
      name: DEFAULT_CLUSTER,
      conn: control,
      refs: 0,
      sockets: 0,
      idleTimer: null,
      owned: false,
      healthy: true,
      outageListeners: new Set(),
    };
    instrument(client);
    this.clients.set(DEFAULT_CLUSTER, client);
  }

  /** Takes a reference on the cluster's client, opening it on first use. */
  async acquire(name: string, tenantId?: string): Promise<Connection> {
    let client = this.clients.get(name);
    if (!client) {
      let pending = this.opening.get(name);
      const failedAt = this.openFailedAt.get(name);
      if (
        !pending &&
        failedAt !== undefined &&
        Date.now() - failedAt < this.options.unavailableAfterMs
      ) {
        throw new TenantUnavailable(`Cluster "${name}" is unreachable`, tenantId);
      }
      if (!pending) {
        pending = this.open(name, tenantId).finally(() => this.opening.delete(name));
        this.opening.set(name, pending);
      }
      client = await pending;
    }
    client.refs++;
    if (client.idleTimer) {
      clearTimeout(client.idleTimer);
      client.idleTimer = null;
    }
    return client.conn;
  }

  /** Throws TenantUnavailable at once while the cluster's breaker is open. */
  assertHealthy(name: string, tenantId?: string): void {
    const client = this.clients.get(name);
    if (client && !client.healthy)
      throw new TenantUnavailable(`Cluster "${name}" is not answering`, tenantId);
  }

  /** Calls onOutage if the cluster stops answering before the returned disposer runs. */
  onOutage(name: string, onOutage: (err: Error) => void): () => void {
    const client = this.clients.get(name);
    if (!client) return () => undefined;
    client.outageListeners.add(onOutage);
    return () => client.outageListeners.delete(onOutage);
  }

  /**
   * Settles with work, or rejects with TenantUnavailable as soon as the cluster's breaker opens
   * (or at once if it is open already). work itself is not cancelled.
   */
  async guard<T>(name: string, work: () => Promise<T>, tenantId?: string): Promise<T> {
    this.assertHealthy(name, tenantId);
    let stop = (): void => undefined;
    const outage = new Promise<never>((_, reject) => {
      stop = this.onOutage(name, (err) => reject(err));
    });
    outage.catch(() => undefined);
    try {
      return await Promise.race([work(), outage]);
    } finally {
      stop();
    }
  }

  release(name: string): void {
    const client = this.clients.get(name);
    if (!client) return;
    client.refs = Math.max(0, client.refs - 1);
    if (client.refs === 0 && client.owned && !client.idleTimer) {
      client.idleTimer = setTimeout(() => {
        client.idleTimer = null;
        if (client.refs === 0) void this.closeClient(client);
      }, this.options.clusterIdleMs);
      client.idleTimer.unref();
    }
  }

  /** Whether the cluster answers a ping within the unavailability bound. */
  async ping(name: string): Promise<boolean> {
    try {
      const conn = await this.acquire(name);
      try {
        const db = conn.db;
        if (!db) return false;
        await db.admin().command({ ping: 1 });
        return true;
      } finally {
        this.release(name);
      }
    } catch {
      return false;
    }
  }

  stats(): {
    openClients: number;
    sockets: number;
    clusters: { name: string; refs: number; sockets: number; healthy: boolean }[];
  } {
    const clusters = [...this.clients.values()].map((c) => ({
      name: c.name,
      refs: c.refs,
      sockets: c.sockets,
      healthy: c.healthy,
    }));
    return {
      openClients: clusters.length,
      sockets: clusters.reduce((n, c) => n + c.sockets, 0),
      clusters,
    };
  }

  /** Closes every client this pool opened (not the control connection). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.opening.values()]);
    await Promise.all(
      [...this.clients.values()].filter((c) => c.owned).map((c) => this.closeClient(c)),
    );
  }

  private async open(name: string, tenantId?: string): Promise<ClusterClient> {
    const doc = await this.models.Cluster.findOne({ name })
      .select("+uriEncrypted")
      .lean<ClusterDoc>();
    if (!doc) throw new ClusterNotFound(name);
    const uri = decryptUri(this.key, name, doc.uriEncrypted);
    const conn = mongoose.createConnection(uri, connectionOptions(this.options));
    const client: ClusterClient = {
      name,
      conn,
      refs: 0,
      sockets: 0,
      idleTimer: null,
      owned: true,
      healthy: true,
      outageListeners: new Set(),
    };
    instrument(client);
    try {
      await conn.asPromise();
    } catch (err) {
      await conn.close(true).catch(() => undefined);
      this.openFailedAt.set(name, Date.now());
      this.logger.warn(
        { cluster: name, uri: redactUri(uri), err: (err as Error).message },
        "cluster unreachable",
      );
      throw new TenantUnavailable(`Cluster "${name}" is unreachable`, tenantId, { cause: err });
    }
    this.openFailedAt.delete(name);
    this.clients.set(name, client);
    this.logger.info({ cluster: name }, "cluster client opened");
    return client;
  }

  private async closeClient(client: ClusterClient): Promise<void> {
    if (this.clients.get(client.name) !== client) return;
    this.clients.delete(client.name);
    await client.conn.close(true).catch((err: unknown) => {
      this.logger.warn(
        { cluster: client.name, err: (err as Error).message },
        "cluster client close failed",
      );
    });
    this.logger.info({ cluster: client.name }, "cluster client closed");
  }
}
