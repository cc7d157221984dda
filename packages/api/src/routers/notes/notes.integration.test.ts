import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import { failure, startHarness } from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

describe("notes over HTTP", () => {
  it("creates, gets, updates, lists and deletes a note with its author recorded", async () => {
    const created = await acme.client.notes.create.mutate({ title: "First", body: "hello world", tags: ["Work", "work", "todo"] });
    expect(created).toMatchObject({ title: "First", body: "hello world", tags: ["work", "todo"], author: { name: "Owner of acme" } });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await acme.client.notes.get.query({ id: created.id })).toMatchObject({ id: created.id, title: "First" });
    const updated = await acme.client.notes.update.mutate({ id: created.id, title: "First, edited" });
    expect(updated.title).toBe("First, edited");
    expect(updated.body).toBe("hello world");
    const list = await acme.client.notes.list.query({ search: "edited" });
    expect(list.items.map((n) => n.id)).toEqual([created.id]);
    expect((await acme.client.notes.delete.mutate({ id: created.id })).ok).toBe(true);
    expect((await failure(acme.client.notes.get.query({ id: created.id }))).code).toBe("NOT_FOUND");
  });
});
