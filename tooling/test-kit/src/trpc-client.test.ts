import { TRPCError, initTRPC } from "@trpc/server";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { createTestClient } from "./trpc-client";

// A small router in the shape of Tenantry's (superjson, cookies set by a login mutation).
const t = initTRPC
  .context<{ req: IncomingMessage; res: ServerResponse }>()
  .create({ transformer: superjson });
const router = t.router({
  login: t.procedure.input(z.object({ name: z.string() })).mutation(({ input, ctx }) => {
    ctx.res.setHeader("set-cookie", `who=${input.name}; Path=/; HttpOnly`);
    return { at: new Date(0) };
  }),
  me: t.procedure.query(({ ctx }) => {
    const who = /who=([^;]+)/.exec(ctx.req.headers.cookie ?? "")?.[1];
    if (!who) throw new TRPCError({ code: "UNAUTHORIZED" });
    return { who, csrf: ctx.req.headers["x-csrf"] ?? null };
  }),
});

let url = "";
const server = createHTTPServer({ router, createContext: ({ req, res }) => ({ req, res }) });
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("createTestClient", () => {
  it("calls procedures by their typed names with superjson, keeping cookies like a tab", async () => {
    const client = createTestClient<typeof router>({
      url,
      headers: { "x-csrf": "1" },
      cookies: true,
    });
    await expect(client.me.query()).rejects.toThrow("UNAUTHORIZED");
    const { at } = await client.login.mutate({ name: "ada" });
    expect(at).toBeInstanceOf(Date);
    expect(await client.me.query()).toEqual({ who: "ada", csrf: "1" });
  });

  it("keeps no cookies unless asked", async () => {
    const client = createTestClient<typeof router>({ url });
    await client.login.mutate({ name: "bob" });
    await expect(client.me.query()).rejects.toThrow("UNAUTHORIZED");
  });
});
