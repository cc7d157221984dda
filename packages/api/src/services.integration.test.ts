import { randomBytes } from "node:crypto";

import { startTestDatabase } from "@tenantry/test-kit";
import type { TestDatabase } from "@tenantry/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startInstance } from "../test/api-harness";
import { controlModelsOf } from "@tenantry/tenancy/testing";

let mongo: TestDatabase;
beforeAll(async () => {
  mongo = await startTestDatabase();
});
afterAll(async () => mongo?.stop());

describe("first super admin", () => {
  it("refuses a weak ADMIN_PASSWORD with a clear message and creates nothing", async () => {
    const db = `ctl_${randomBytes(3).toString("hex")}`;
    await expect(
      startInstance(mongo.uri, db, { firstAdmin: { email: "root@x.test", password: "admin123" } }),
    ).rejects.toThrow(/ADMIN_PASSWORD is too weak: .*no default credentials/);
    const ok = await startInstance(mongo.uri, db, {
      firstAdmin: { email: "root@x.test", password: "A-Much-Better-Pass-2026" },
    });
    try {
      expect(await controlModelsOf(ok.tenancy).Admin.countDocuments({})).toBe(1);
      // Later starts with other values change nothing: the first admin is created once.
      expect(await ok.services.ensureFirstAdmin()).toBe("exists");
    } finally {
      await ok.close();
    }
  });

  it("creates no admin at all without configuration (no default credentials)", async () => {
    const inst = await startInstance(mongo.uri, `ctl_${randomBytes(3).toString("hex")}`, {
      firstAdmin: undefined,
    });
    try {
      expect(await inst.services.ensureFirstAdmin()).toBe("not-configured");
      expect(await controlModelsOf(inst.tenancy).Admin.countDocuments({})).toBe(0);
    } finally {
      await inst.close();
    }
  });
});
