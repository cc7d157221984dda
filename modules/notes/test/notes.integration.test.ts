import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "@tenantry/api/testing";
import { OWNER_PASSWORD, appClient, failure, startHarness } from "@tenantry/api/testing";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

describe("notes over HTTP", () => {
  it("creates, gets, updates, lists and deletes a note with its author recorded", async () => {
    const created = await acme.client.notes.create.mutate({
      title: "First",
      body: "hello world",
      tags: ["Work", "work", "todo"],
    });
    expect(created).toMatchObject({
      title: "First",
      body: "hello world",
      tags: ["work", "todo"],
      author: { name: "Owner of acme" },
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await acme.client.notes.get.query({ id: created.id })).toMatchObject({
      id: created.id,
      title: "First",
    });
    const updated = await acme.client.notes.update.mutate({
      id: created.id,
      title: "First, edited",
    });
    expect(updated.title).toBe("First, edited");
    expect(updated.body).toBe("hello world");
    const list = await acme.client.notes.list.query({ search: "edited" });
    expect(list.items.map((n) => n.id)).toEqual([created.id]);
    expect((await acme.client.notes.delete.mutate({ id: created.id })).ok).toBe(true);
    expect((await failure(acme.client.notes.get.query({ id: created.id }))).code).toBe("NOT_FOUND");
  });
});

describe("notes listing", () => {
  it("filters by tag and text and pages with a cursor, newest first", async () => {
    for (let i = 0; i < 7; i++) {
      await acme.client.notes.create.mutate({
        title: `Page note ${i}`,
        body: i % 2 ? "odd body" : "even body",
        tags: i % 2 ? ["odd"] : ["even"],
      });
    }
    const odd = await acme.client.notes.list.query({ tag: "odd" });
    expect(odd.items.map((n) => n.title)).toEqual(["Page note 5", "Page note 3", "Page note 1"]);
    expect((await acme.client.notes.list.query({ search: "EVEN BODY" })).items).toHaveLength(4);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await acme.client.notes.list.query({
        limit: 3,
        search: "page note",
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((n) => n.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `Page note ${i}`));
  });

  it("refuses bad input with a 400 and writes nothing", async () => {
    const before = (await acme.client.notes.list.query({ limit: 100 })).items.length;
    const f = await failure(acme.client.notes.create.mutate({ title: "", body: "x", tags: [] }));
    expect(f).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(
      (f.data.zodError as { fieldErrors: Record<string, unknown> }).fieldErrors.title,
    ).toBeTruthy();
    expect(
      (
        await failure(
          acme.client.notes.create.mutate({ title: "x".repeat(201), body: "", tags: [] }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect((await failure(acme.client.notes.get.query({ id: "not-an-id" }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await failure(acme.client.notes.list.query({ limit: 1000 }))).code).toBe("BAD_REQUEST");
    expect((await acme.client.notes.list.query({ limit: 100 })).items.length).toBe(before);
  });
});

describe("who may change a note", () => {
  it("a member changes their own notes only; owners and admins change any", async () => {
    const mine = await acme.client.notes.create.mutate({
      title: "Owner's note",
      body: "",
      tags: [],
    });
    await acme.client.members.create.mutate({
      email: "writer@acme.test",
      name: "Writer",
      role: "member",
      password: OWNER_PASSWORD,
    });
    const login = await appClient(h.url).auth.login.mutate({
      email: "writer@acme.test",
      password: OWNER_PASSWORD,
      tenantSlug: "acme",
    });
    if (login.status !== "ok" || !login.accessToken) throw new Error("member login failed");
    const member = appClient(h.url, login.accessToken);

    for (const attempt of [
      member.notes.update.mutate({ id: mine.id, title: "Taken over" }),
      member.notes.delete.mutate({ id: mine.id }),
    ]) {
      expect(await failure(attempt)).toMatchObject({ httpStatus: 403, reason: "FORBIDDEN_ROLE" });
    }
    expect((await acme.client.notes.get.query({ id: mine.id })).title).toBe("Owner's note");

    const theirs = await member.notes.create.mutate({ title: "Member's note", body: "", tags: [] });
    expect((await member.notes.update.mutate({ id: theirs.id, title: "Edited" })).title).toBe(
      "Edited",
    );
    // The owner may edit and delete a member's note.
    expect((await acme.client.notes.update.mutate({ id: theirs.id, body: "checked" })).body).toBe(
      "checked",
    );
    expect((await acme.client.notes.delete.mutate({ id: theirs.id })).ok).toBe(true);
    // A note that does not exist is still 404 for a member.
    expect((await failure(member.notes.delete.mutate({ id: theirs.id }))).code).toBe("NOT_FOUND");
  });
});
