import { Catalog } from "./catalog.js";
import { Engine, listen } from "./server.js";

export interface EmbeddedMongoOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Directory for journals; absent keeps everything in memory. */
  dbPath?: string;
}

export interface EmbeddedMongo {
  /** Connection string for `new MongoClient(uri)` / `mongoose.createConnection(uri)`. */
  uri: string;
  port: number;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

export async function startEmbeddedMongo(opts: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const catalog = new Catalog();
  const engine = new Engine(catalog, { host: HOST, port: opts.port ?? 0, startedAt: Date.now(), connections: () => 0, dbPath: opts.dbPath });
  const server = await listen(engine, HOST, opts.port ?? 0);
  engine.info.port = server.port;
  let stopped: Promise<void> | undefined;
  return {
    uri: `mongodb://${HOST}:${server.port}`,
    port: server.port,
    stop: () => (stopped ??= server.close()),
  };
}
