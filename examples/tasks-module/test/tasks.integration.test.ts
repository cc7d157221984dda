// The tasks module over real HTTP through tRPC: an app composed of the shipped modules plus tasks,
// on the embedded server; the module's migration ran at provisioning (its index exists).
import { APP_MODULES, composeAppRouter } from "@tenantry/api";
import type { Harness } from "@tenantry/api/testing";
import { failure, routerClient, startHarness } from "@tenantry/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { tasks } from "../src";

const modules = [...APP_MODULES, tasks] as const;
const appRouter = composeAppRouter(modules);
let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { modules, appRouter });
});
afterAll(async () => h?.stop());

describe("tasks module over HTTP", () => {
  it("adds tasks and lists the open ones, newest first, per tenant", async () => {
    const acme = await h.tenant("acme");
    const globex = await h.tenant("globex");
    const client = routerClient<typeof appRouter>(h.url, acme.token);
    const first = await client.tasks.add.mutate({ title: "Write the doc" });
    expect(first).toMatchObject({ title: "Write the doc", done: false });
    await client.tasks.add.mutate({ title: "Follow it" });
    expect((await client.tasks.open.query()).map((t) => t.title)).toEqual([
      "Follow it",
      "Write the doc",
    ]);
    // Another tenant sees none of them; the notes module still answers beside tasks.
    expect(await routerClient<typeof appRouter>(h.url, globex.token).tasks.open.query()).toEqual(
      [],
    );
    expect((await client.notes.list.query({})).items).toEqual([]);
  });

  it("refuses a blank title with a 400 and writes nothing", async () => {
    const t = await h.tenant("initech");
    const client = routerClient<typeof appRouter>(h.url, t.token);
    const f = await failure(client.tasks.add.mutate({ title: "  " }));
    expect(f).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(await client.tasks.open.query()).toEqual([]);
  });

  it("built the tasks collection and index at provisioning, on the module's own ledger", async () => {
    const t = await h.tenant("umbrella");
    const { indexes, ledger } = await h.tenancy.withTenant(t.id, async ({ conn, models }) => ({
      indexes: await conn.collection("tasks").indexes(),
      ledger: await models.Meta.findById("module:tasks").lean(),
    }));
    expect(indexes.map((i) => i.name)).toContain("done_1__id_-1");
    expect(ledger?.applied.map((a) => a.name)).toEqual(["tasks-collection"]);
  });
});
