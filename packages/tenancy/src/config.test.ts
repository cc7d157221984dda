import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { resolveConfig } from "./config";
import { InvalidInput } from "./errors";

const key = randomBytes(32).toString("base64");

describe("config", () => {
  it("fills production defaults", () => {
    const cfg = resolveConfig({ controlUri: "mongodb://127.0.0.1:1", encryptionKey: key });
    expect(cfg).toMatchObject({
      controlDbName: "tenantry_control",
      registryRefreshMs: 250,
      cache: { maxHandles: 500 },
      admission: {
        enabled: true,
        queueFactor: 4,
        queueTimeoutMs: 2000,
        busyRetryAfterSeconds: 1,
        rateSyncMs: 500,
      },
    });
    expect(cfg.encryptionKeyBytes).toHaveLength(32);
  });

  it("rejects a short key, a non-mongodb URI and a slow refresh with a typed error", () => {
    expect(() => resolveConfig({ controlUri: "mongodb://x", encryptionKey: "c2hvcnQ=" })).toThrow(
      InvalidInput,
    );
    expect(() => resolveConfig({ controlUri: "http://x", encryptionKey: key })).toThrow(
      /controlUri/,
    );
    expect(() =>
      resolveConfig({ controlUri: "mongodb://x", encryptionKey: key, registryRefreshMs: 5000 }),
    ).toThrow(/registryRefreshMs/);
  });

  it("fills the job runner's knobs left out and refuses ones out of range", () => {
    const base = { controlUri: "mongodb://127.0.0.1:1", encryptionKey: key };
    expect(resolveConfig(base).jobs).toEqual({
      concurrency: 4,
      pollMs: 5000,
      lockLifetimeMs: 600_000,
      tenantWaitMs: 60_000,
      purgeExpiredEveryMs: 3_600_000,
      usageSnapshotEveryMs: 3_600_000,
    });
    expect(resolveConfig({ ...base, jobs: { concurrency: 2 } }).jobs).toMatchObject({
      concurrency: 2,
      pollMs: 5000,
    });
    expect(() => resolveConfig({ ...base, jobs: { concurrency: 0 } })).toThrow(/jobs\.concurrency/);
    expect(() => resolveConfig({ ...base, jobs: { pollMs: 1 } })).toThrow(/jobs\.pollMs/);
  });

  it("fills the admission knobs left out and refuses ones out of range", () => {
    const cfg = resolveConfig({
      controlUri: "mongodb://x",
      encryptionKey: key,
      admission: { queueTimeoutMs: 250 },
    });
    expect(cfg.admission).toEqual({
      enabled: true,
      queueFactor: 4,
      queueTimeoutMs: 250,
      busyRetryAfterSeconds: 1,
      rateSyncMs: 500,
    });
    expect(() =>
      resolveConfig({
        controlUri: "mongodb://x",
        encryptionKey: key,
        admission: { rateSyncMs: 1 },
      }),
    ).toThrow(/admission\.rateSyncMs/);
  });
});
