// Clients made with an API key, against a real API server. The server's key authentication is
// not on this branch: here every key is refused, which is what the no-refresh contract is about.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestApi } from "../test/api-server";
import { provisionTenant, startTestApi } from "../test/api-server";
import { createTenantryAdminClient, createTenantryClient, isTenantryError } from "./index";

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await provisionTenant(api, "acme");
});
afterAll(async () => api?.stop());

interface Sent {
  url: string;
  headers: Headers;
}

/** The real fetch, noting what each request carried. */
function recordingFetch(sent: Sent[]): typeof globalThis.fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    sent.push({ url, headers: new Headers(init?.headers) });
    return globalThis.fetch(input, init);
  };
}

async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => {
      throw new Error("the call was expected to be refused");
    },
    (e: unknown) => e,
  );
  if (!isTenantryError(err)) throw err;
  return err;
}

describe("createTenantryClient({ url, apiKey })", () => {
  it("sends the key as a bearer token on every call and never refreshes a refused key", async () => {
    const sent: Sent[] = [];
    const client = createTenantryClient({
      url: api.url,
      apiKey: "tnk_revoked-or-unknown",
      fetch: recordingFetch(sent),
    });
    const first = await refusal(client.notes.list.query({}));
    const second = await refusal(client.auth.me.query());
    for (const err of [first, second]) {
      expect(err.data?.code).toBe("UNAUTHORIZED");
      expect(err.data?.httpStatus).toBe(401);
    }
    // One request per call: no refresh, no retry.
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(["/trpc/notes.list", "/trpc/auth.me"]);
    for (const { headers } of sent) {
      expect(headers.get("authorization")).toBe("Bearer tnk_revoked-or-unknown");
      expect(headers.get("x-tenant")).toBeNull();
    }
  });

  it("refuses a platform key, naming the client it belongs to", () => {
    expect(() => createTenantryClient({ url: api.url, apiKey: "tnp_abc" })).toThrow(
      /does not start with "tnk_".*createTenantryAdminClient/,
    );
  });
});

describe("createTenantryAdminClient({ url, apiKey })", () => {
  it("calls the admin API with the platform key and never refreshes", async () => {
    const sent: Sent[] = [];
    const admin = createTenantryAdminClient({
      url: api.url,
      apiKey: "tnp_revoked-or-unknown",
      fetch: recordingFetch(sent),
    });
    const err = await refusal(admin.tenants.list.query({}));
    expect(err.data?.code).toBe("UNAUTHORIZED");
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(["/admin/trpc/tenants.list"]);
    expect(sent[0]?.headers.get("authorization")).toBe("Bearer tnp_revoked-or-unknown");
  });

  it("refuses a tenant key, naming the client it belongs to", () => {
    expect(() => createTenantryAdminClient({ url: api.url, apiKey: "tnk_abc" })).toThrow(
      /does not start with "tnp_".*createTenantryClient/,
    );
  });
});
