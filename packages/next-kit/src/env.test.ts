import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { createAppEnv, pagePolicyEnv } from "./env";

const valid = {
  MONGODB_URI: "mongodb://127.0.0.1:27017",
  JWT_SECRET: "s".repeat(40),
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
};

function stub(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
}

afterEach(() => vi.unstubAllEnvs());

describe("the apps' env", () => {
  it("lists every missing shared variable under the app's name, on first use only", () => {
    stub({ MONGODB_URI: undefined, JWT_SECRET: undefined, ENCRYPTION_KEY: undefined });
    const { getEnv } = createAppEnv("web", {});
    expect(() => getEnv()).toThrow(
      /^apps\/web: invalid environment\n {2}- MONGODB_URI: is not set[\s\S]*JWT_SECRET: is required[\s\S]*ENCRYPTION_KEY: is not set/,
    );
  });

  it("adds the app's own variables to the shared ones and applies the shared defaults", () => {
    stub({ ...valid, EXTRA: "x", NODE_ENV: "production", INSECURE_COOKIES: "true" });
    const { getEnv, cookieSecure } = createAppEnv("admin", { EXTRA: z.string() });
    expect(getEnv()).toMatchObject({
      EXTRA: "x",
      CONTROL_DB_NAME: "tenantry_control",
      JWT_ISSUER: "tenantry",
      WEB_URL: "http://localhost:3000",
      ADMIN_URL: "http://localhost:3001",
    });
    expect(cookieSecure()).toBe(false);
  });

  it("refuses a key that is not base64, as the CLI does", () => {
    stub({ ...valid, ENCRYPTION_KEY: `${"!".repeat(43)}=` });
    expect(() => createAppEnv("web", {}).getEnv()).toThrow(/ENCRYPTION_KEY: must be 32 bytes/);
  });

  it("gives the proxy only the non-secret page policy settings", () => {
    stub({ ...valid, NODE_ENV: "production", WEB_URL: "https://app.example.com" });
    expect(pagePolicyEnv(["WEB_URL"])()).toEqual({
      NODE_ENV: "production",
      INSECURE_COOKIES: undefined,
      WEB_URL: "https://app.example.com",
    });
  });
});
