import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { TenantDeleted, TenantSuspended } from "./errors";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";

let server: TestServer;
let tenancy: Tenancy;

beforeAll(async () => {
  server = await startServer();
  tenancy = await createTenancy(testConfig(server.uri));
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await server?.stop();
});

describe("admin reads of a non-active tenant (withTenant allowInactive)", () => {
  it("reads a suspended, then deleted tenant's data under a lease and scope; never a purged one", async () => {
    const t = await tenancy.lifecycle.provision({ slug: "frozen", name: "Frozen", owner: owner("frozen") });
    await tenancy.withTenant(t.id, ({ models }) =>
      models.Note.create({ title: "kept", authorId: t.id, authorName: "Owner" }).then(() => undefined),
    );
    const countNotes = (): Promise<{ users: number; notes: number; slug: string; leases: number }> =>
      tenancy.withTenant(
        t.id,
        async ({ models }) => ({
          users: await models.User.countDocuments(),
          notes: await models.Note.countDocuments(),
          slug: tenancy.currentTenant().tenant.slug,
          leases: tenancy.stats().leases,
        }),
        { allowInactive: true },
      );

    await tenancy.lifecycle.suspend(t.id, "unpaid invoice");
    // Default stays fail-closed.
    await expect(tenancy.withTenant(t.id, async () => "in")).rejects.toBeInstanceOf(TenantSuspended);
    expect(await countNotes()).toEqual({ users: 1, notes: 1, slug: "frozen", leases: 1 });
    expect(tenancy.stats().leases).toBe(0);

    await tenancy.lifecycle.softDelete(t.id);
    await expect(tenancy.withTenant(t.id, async () => "in")).rejects.toBeInstanceOf(TenantDeleted);
    expect(await countNotes()).toEqual({ users: 1, notes: 1, slug: "frozen", leases: 1 });

    await tenancy.lifecycle.purge(t.id);
    await expect(countNotes()).rejects.toBeInstanceOf(TenantDeleted);
    expect(tenancy.stats().leases).toBe(0);
  });
});
