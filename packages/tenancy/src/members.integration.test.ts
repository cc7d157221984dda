// The members use cases hold the invariants themselves, so a caller without the api (the CLI, a
// script) cannot leave a tenant ownerless or its directory out of step.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { LastOwner, RoleForbidden, WeakPassword } from "./errors";
import type { MemberActor } from "./members";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";

let server: TestServer;
let tenancy: Tenancy;
let tenantId: string;

beforeAll(async () => {
  server = await startServer();
  tenancy = await createTenancy(testConfig(server.uri));
  tenantId = (
    await tenancy.lifecycle.provision({ slug: "crew", name: "Crew", owner: owner("crew") })
  ).id;
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await server?.stop();
});

const asOwner = () =>
  tenancy.withTenant(tenantId, async (scope) => {
    const user = await scope.models.User.findOne({ role: "owner" }).lean();
    if (!user) throw new Error("no owner");
    return { user } satisfies MemberActor;
  });

describe("members", () => {
  it("keeps the last owner, the directory and the audit log in step", async () => {
    const actor = await asOwner();
    await tenancy.withTenant(tenantId, async (scope) => {
      await expect(
        tenancy.members.add(scope, actor, {
          email: "m@crew.test",
          name: "M",
          role: "member",
          password: "Nine-ch4r",
        }),
      ).rejects.toBeInstanceOf(WeakPassword);
      const member = await tenancy.members.add(scope, actor, {
        email: "M@Crew.test",
        name: "M",
        role: "member",
      });
      expect(member).toMatchObject({ email: "m@crew.test", status: "invited" });
      expect(await tenancy.directory.findByEmail("m@crew.test")).toEqual([
        expect.objectContaining({ tenantId, role: "member" }),
      ]);
      // A member-role actor may not create or change owners.
      const asMember: MemberActor = { user: member };
      await expect(
        tenancy.members.changeRole(scope, asMember, actor.user._id.toString(), "member"),
      ).rejects.toBeInstanceOf(RoleForbidden);
      // The only owner can be neither demoted, deactivated nor removed.
      const self = actor.user._id.toString();
      await expect(tenancy.members.changeRole(scope, actor, self, "admin")).rejects.toBeInstanceOf(
        LastOwner,
      );
      await expect(tenancy.members.deactivate(scope, actor, self)).rejects.toBeInstanceOf(
        LastOwner,
      );
      await expect(tenancy.members.remove(scope, actor, self)).rejects.toBeInstanceOf(LastOwner);

      await tenancy.members.changeRole(scope, actor, member._id.toString(), "admin");
      expect(await tenancy.directory.findByEmail("m@crew.test")).toEqual([
        expect.objectContaining({ role: "admin" }),
      ]);
      await tenancy.members.remove(scope, actor, member._id.toString());
      expect(await tenancy.directory.findByEmail("m@crew.test")).toEqual([]);
      const actions = (await scope.models.Audit.find({}).lean()).map((a) => a.action);
      expect(actions).toEqual(["members.invite", "members.changeRole", "members.remove"]);
    });
  });
});
