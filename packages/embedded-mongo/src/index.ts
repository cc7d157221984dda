import { Catalog } from "./catalog.js";
import { Engine } from "./engine.js";
import { Journal } from "./journal.js";
import { DEFAULT_LIMITS, listen } from "./server.js";

export interface EmbeddedMongoOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Directory for the per-database journals; absent keeps everything in memory. */
  dbPath?: string;
  /** How often expired TTL documents are deleted (MongoDB's default: 60 s). */
  ttlMonitorIntervalMs?: number;
  /** Open connections at most (default 10,000); one more gets an error and is closed. */
  maxConnections?: number;
  /** Close a connection idle for this long (default 10 minutes; 0: never). */
  idleTimeoutMs?: number;
  /**
   * Bytes a connection may have received and not yet been answered (default 64 MiB); beyond it
   * the server stops reading that socket until it catches up.
   */
  maxPendingBytesPerConnection?: number;
}

export interface EmbeddedMongo {
  /** Connection string for `new MongoClient(uri)` / `mongoose.createConnection(uri)`. */
  uri: string;
  port: number;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

export async function startEmbeddedMongo(opts: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const journal = opts.dbPath ? await Journal.open(opts.dbPath) : undefined;
  const catalog = new Catalog(journal);
  const engine = new Engine(
    catalog,
    {
      host: HOST,
      port: opts.port ?? 0,
      startedAt: Date.now(),
      connections: () => 0,
      connectionList: () => [],
      maxConnections: opts.maxConnections ?? DEFAULT_LIMITS.maxConnections,
      dbPath: opts.dbPath,
      journalStats: journal ? () => ({ ...journal.stats }) : undefined,
    },
    journal,
    { ttlMonitorIntervalMs: opts.ttlMonitorIntervalMs },
  );
  let server;
  try {
    server = await listen(engine, HOST, opts.port ?? 0, {
      maxConnections: opts.maxConnections ?? DEFAULT_LIMITS.maxConnections,
      idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
      maxPendingBytes: opts.maxPendingBytesPerConnection ?? DEFAULT_LIMITS.maxPendingBytes,
    });
  } catch (err) {
    engine.stop();
    await journal?.close();
    throw err;
  }
  engine.info.port = server.port;
  const running = server;
  let stopped: Promise<void> | undefined;
  return {
    uri: `mongodb://${HOST}:${running.port}`,
    port: running.port,
    stop: () =>
      (stopped ??= (async () => {
        engine.stop();
        await running.close();
        await journal?.close();
      })()),
  };
}
