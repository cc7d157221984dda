// Records written before the plan catalogue: a start-up brings their plan and limits onto it, and
// a write refused by a limit leaves the tenant database as it was.
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { QuotaExceeded } from "./errors";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";

let server: TestServer;
let tenancy: Tenancy;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await server?.stop();
});

describe("plan catalogue on existing records", () => {
  it("maps old plan names and drops malformed overrides at start-up", async () => {
    const config = testConfig(server.uri);
    const first = await createTenancy(config);
    const ids: Record<string, string> = {};
    for (const slug of ["legacy-team", "legacy-gold", "legacy-pro"])
      ids[slug] = (await first.lifecycle.provision({ slug, name: slug, owner: owner(slug) })).id;
    await first.shutdown({ timeoutMs: 1000 });
    // What older versions could store: free-text plans and any limits object.
    const client = new MongoClient(server.uri);
    const Tenant = client.db(config.controlDbName).collection("tenants");
    await Tenant.updateOne({ slug: "legacy-team" }, { $set: { plan: "team" } });
    await Tenant.updateOne(
      { slug: "legacy-gold" },
      { $set: { plan: "gold", limits: { seats: 4, "bad key": 1, notes: -2, storageBytes: 1.5 } } },
    );
    await Tenant.updateOne({ slug: "legacy-pro" }, { $set: { plan: "pro", limits: { seats: 7 } } });

    tenancy = await createTenancy(config);
    const stored = await Tenant.find({ slug: /^legacy-/ })
      .sort({ slug: 1 })
      .toArray();
    await client.close();
    expect(stored.map((t) => [t.slug, t.plan, t.limits])).toEqual([
      ["legacy-gold", "free", { seats: 4 }],
      ["legacy-pro", "pro", { seats: 7 }],
      ["legacy-team", "pro", {}],
    ]);
    expect((await tenancy.registry.get(ids["legacy-gold"] ?? "")).plan).toBe("free");
  });

  it("refuses the member past the seats override and writes nothing", async () => {
    const id = (await tenancy.registry.getBySlug("legacy-gold")).id;
    await tenancy.plans.setPlan(id, { plan: "free", limits: { seats: 1 } });
    await tenancy.withTenant(id, async (scope) => {
      const actor = await scope.models.User.findOne({ role: "owner" }).lean();
      if (!actor) throw new Error("no owner");
      const add = tenancy.members.add(
        scope,
        { user: actor },
        { email: "more@legacy.test", name: "More", role: "member" },
      );
      await expect(add).rejects.toBeInstanceOf(QuotaExceeded);
      await expect(add).rejects.toMatchObject({ usage: { limit: "seats", used: 1, max: 1 } });
      expect(await scope.models.User.countDocuments({})).toBe(1);
    });
    expect(await tenancy.directory.findByEmail("more@legacy.test")).toEqual([]);
  });
});
