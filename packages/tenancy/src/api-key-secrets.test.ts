// The key string: what the server can read from it alone, and what it refuses.
import { describe, expect, it } from "vitest";

import {
  hashKeySecret,
  keyRefusal,
  newApiKey,
  parseApiKey,
  secretMatches,
} from "./api-key-secrets";
import { scopeForCall, scopesProblem, tenantKeyScopes } from "./policies/api-key-scopes";

const TENANT = "65a1b2c3d4e5f60718293a4b";

describe("API key strings", () => {
  it("carry the tenant and the key id, so one read by _id finds the record", () => {
    const { id, key, secretHash } = newApiKey("tenant", TENANT);
    const parsed = parseApiKey(key);
    expect(parsed).toMatchObject({ kind: "tenant", tenantId: TENANT, keyId: id.toHexString() });
    expect(secretHash).not.toContain(parsed.secret);
    expect(secretMatches(parsed.secret, secretHash)).toBe(true);
    expect(secretMatches("0".repeat(64), secretHash)).toBe(false);
    expect(hashKeySecret(parsed.secret)).toBe(secretHash);
  });

  it("tell platform keys apart and refuse anything else with KEY_MALFORMED", () => {
    expect(parseApiKey(newApiKey("platform").key).kind).toBe("platform");
    for (const bad of ["tnk_", "tnk_abc", `tnk_${TENANT}_${TENANT}_short`, "tnp_x_y"])
      expect(() => parseApiKey(bad)).toThrow(expect.objectContaining({ code: "KEY_MALFORMED" }));
  });

  it("refuse revoked before expired, and an expiry that has passed", () => {
    const past = new Date(Date.now() - 1000);
    expect(keyRefusal({ revokedAt: new Date(), expiresAt: past })?.code).toBe("KEY_REVOKED");
    expect(keyRefusal({ revokedAt: null, expiresAt: past })?.code).toBe("KEY_EXPIRED");
    expect(keyRefusal({ revokedAt: null, expiresAt: null })).toBeNull();
  });
});

describe("API key scopes", () => {
  it("come from the registered modules plus members:admin and keys:admin", () => {
    expect(tenantKeyScopes(["notes", "tasks"])).toEqual([
      "notes:read",
      "notes:write",
      "tasks:read",
      "tasks:write",
      "members:admin",
      "keys:admin",
    ]);
  });

  it("map a call to the one scope it needs, or none for person-only areas", () => {
    expect(scopeForCall("notes", "write", ["notes"])).toBe("notes:write");
    expect(scopeForCall("members", "read", ["notes"])).toBe("members:admin");
    expect(scopeForCall("keys", "write", ["notes"])).toBe("keys:admin");
    expect(scopeForCall("auth", "read", ["notes"])).toBeNull();
    expect(scopesProblem(["notes:admin"], tenantKeyScopes(["notes"]))).toContain("notes:admin");
    expect(scopesProblem([], ["notes:read"])).toMatch(/at least one/);
  });
});
