// Request limits for API keys, per key and per tenant, counted in the control database so every
// instance shares them (rate-limiter-flexible's MongoDB store: one upserted counter document per
// key and window, dropped by a TTL index).
import type { MongoClient } from "mongodb";
import { RateLimiterMongo, RateLimiterRes } from "rate-limiter-flexible";

import { KeyRateLimited } from "./errors";

export interface KeyRateLimitConfig {
  /** Calls one key may make per window. */
  perKey: number;
  /** Calls all keys of one tenant may make together per window. */
  perTenant: number;
  windowSeconds: number;
}

export const DEFAULT_KEY_RATE_LIMITS: KeyRateLimitConfig = {
  perKey: 600,
  perTenant: 3000,
  windowSeconds: 60,
};

export interface KeyRateLimits {
  /** Counts one call of the key (and of its tenant); KeyRateLimited when either is over. */
  consume(keyId: string, tenantId: string | null): Promise<void>;
}

const COLLECTION = "keyRateLimits";

export function createKeyRateLimits(
  client: MongoClient,
  dbName: string,
  config: KeyRateLimitConfig,
): KeyRateLimits {
  const limiter = (keyPrefix: string, points: number) =>
    new RateLimiterMongo({
      storeClient: client,
      dbName,
      tableName: COLLECTION,
      keyPrefix,
      points,
      duration: config.windowSeconds,
    });
  const perKey = limiter("key", config.perKey);
  const perTenant = limiter("tenant", config.perTenant);
  const consume = async (rl: RateLimiterMongo, key: string) => {
    try {
      await rl.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new KeyRateLimited(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
  };
  return {
    async consume(keyId, tenantId) {
      await consume(perKey, keyId);
      if (tenantId) await consume(perTenant, tenantId);
    },
  };
}
