// The standalone server answers single JSON calls itself (direct-call.ts). Each answer here must
// be the one tRPC's own fetch adapter gives for the same request: same status, same body, same
// content type, for successes and for every kind of refusal.
import type { IncomingMessage } from "node:http";

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../test/api-harness";
import { startHarness } from "../../test/api-harness";
import { createTRPCContext } from "../context";
import { appRouter } from "../root";
import { directCallOf } from "./direct-call";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("direct");
});
afterAll(async () => h?.stop());

interface Call {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The same request through the standalone server and through tRPC's fetch adapter. */
async function bothWays(call: Call) {
  const init = { method: call.method, headers: call.headers ?? {}, body: call.body ?? null };
  const direct = await fetch(`${h.url}${call.path}`, init);
  const req = new Request(`${h.url}${call.path}`, init);
  const reference = await fetchRequestHandler({
    endpoint: "/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders, info }) =>
      createTRPCContext({
        services: h.services,
        surface: "app",
        req,
        resHeaders,
        info,
        ip: "127.0.0.1",
        tokenTransport: "body",
      }),
  });
  const shape = async (r: Response) => ({
    status: r.status,
    contentType: r.headers.get("content-type"),
    vary: r.headers.get("vary"),
    body: await r.json(),
  });
  return { direct: await shape(direct), reference: await shape(reference) };
}

const input = (v: unknown) => `input=${encodeURIComponent(JSON.stringify({ json: v }))}`;

describe("single calls answered directly", () => {
  it("answers queries as tRPC's fetch adapter does, data and refusals alike", async () => {
    const auth = { authorization: `Bearer ${acme.token}` };
    await fetch(`${h.url}/trpc/notes.create`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ json: { title: "one", body: "b", tags: ["t"] } }),
    });
    const cases: Call[] = [
      { method: "GET", path: `/trpc/notes.list?${input({ limit: 5 })}`, headers: auth },
      { method: "GET", path: `/trpc/notes.list?${input({ limit: "x" })}`, headers: auth },
      { method: "GET", path: `/trpc/notes.list?input=%7Bnot`, headers: auth },
      { method: "GET", path: `/trpc/notes.get?${input({ id: "0".repeat(24) })}`, headers: auth },
      { method: "GET", path: `/trpc/notes.list?${input({ limit: 5 })}` },
      { method: "GET", path: `/trpc/notes.list`, headers: { authorization: "Bearer nope" } },
      { method: "GET", path: `/trpc/auth.me`, headers: auth },
    ];
    for (const c of cases) {
      const { direct, reference } = await bothWays(c);
      expect(direct, c.path).toEqual(reference);
    }
  });

  it("answers mutations as tRPC's fetch adapter does, including bad bodies", async () => {
    const headers = { authorization: `Bearer ${acme.token}`, "content-type": "application/json" };
    const cases: Call[] = [
      { method: "POST", path: "/trpc/notes.create", headers, body: "" },
      { method: "POST", path: "/trpc/notes.create", headers, body: "{nope" },
      { method: "POST", path: "/trpc/notes.create", headers, body: JSON.stringify({ json: {} }) },
      {
        method: "POST",
        path: "/trpc/notes.delete",
        headers,
        body: JSON.stringify({ json: { id: "0".repeat(24) } }),
      },
    ];
    for (const c of cases) {
      const { direct, reference } = await bothWays(c);
      expect(direct, `${c.path} ${c.body}`).toEqual(reference);
    }
    const created = await fetch(`${h.url}/trpc/notes.create`, {
      method: "POST",
      headers,
      body: JSON.stringify({ json: { title: "two", body: "b", tags: [] } }),
    });
    expect(created.status).toBe(200);
    const body = (await created.json()) as { result: { data: { json: { title: string } } } };
    expect(body.result.data.json.title).toBe("two");
  });
});

describe("directCallOf", () => {
  const req = (method: string, headers: Record<string, string> = {}) =>
    ({ method, headers: { host: "127.0.0.1:3000", ...headers } }) as unknown as IncomingMessage;
  const json = { "content-type": "application/json" };

  it("takes one JSON query or mutation of a known procedure", () => {
    expect(directCallOf(appRouter, req("GET"), "notes.list", "input=1")).toMatchObject({
      path: "notes.list",
      type: "query",
      queryInput: "1",
    });
    expect(directCallOf(appRouter, req("POST", json), "notes.create", "")).toMatchObject({
      type: "mutation",
    });
  });

  it("leaves batches, streams, other content types, wrong methods and odd hosts to tRPC", () => {
    expect(directCallOf(appRouter, req("GET"), "notes.list", "batch=1")).toBeNull();
    expect(
      directCallOf(appRouter, req("GET", { "trpc-accept": "application/jsonl" }), "notes.list", ""),
    ).toBeNull();
    expect(
      directCallOf(appRouter, req("POST", { "content-type": "text/plain" }), "notes.create", ""),
    ).toBeNull();
    expect(directCallOf(appRouter, req("POST"), "notes.create", "")).toBeNull();
    expect(directCallOf(appRouter, req("GET"), "notes.create", "")).toBeNull();
    expect(directCallOf(appRouter, req("POST", json), "notes.list", "")).toBeNull();
    expect(directCallOf(appRouter, req("GET"), "notes.nope", "")).toBeNull();
    expect(directCallOf(appRouter, req("GET"), "notes.list,notes.get", "")).toBeNull();
    expect(directCallOf(appRouter, req("GET", { host: "bad host" }), "notes.list", "")).toBeNull();
    expect(directCallOf(appRouter, req("PUT", json), "notes.create", "")).toBeNull();
  });
});
