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
});
