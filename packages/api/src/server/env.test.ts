import { describe, expect, it } from "vitest";

import { loadServerEnv } from "./env";

const base = { ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"), JWT_SECRET: "s".repeat(40) };

describe("standalone server env", () => {
  it("applies defaults and accepts the apps' WEB_URL", () => {
    const env = loadServerEnv({ ...base, WEB_URL: "https://app.example.com" });
    expect(env).toMatchObject({
      PORT: 4000,
      HOST: "127.0.0.1",
      ADMIN_API_ENABLED: true,
      WEB_URL: "https://app.example.com",
    });
  });

  it("refuses missing secrets and half-configured first admin with readable messages", () => {
    expect(() => loadServerEnv({})).toThrow(/ENCRYPTION_KEY[\s\S]*JWT_SECRET/);
    expect(() => loadServerEnv({ ...base, JWT_SECRET: "short" })).toThrow(
      /JWT_SECRET: must be at least 32 characters/,
    );
    expect(() => loadServerEnv({ ...base, ADMIN_EMAIL: "a@b.test" })).toThrow(
      /both ADMIN_EMAIL and ADMIN_PASSWORD/,
    );
    expect(() => loadServerEnv({ ...base, ADMIN_API_ENABLED: "maybe" })).toThrow(
      /ADMIN_API_ENABLED/,
    );
  });

  it("takes the background job settings with defaults and names a bad one", () => {
    expect(loadServerEnv(base)).toMatchObject({
      JOBS_ENABLED: true,
      JOBS_CONCURRENCY: 4,
      JOBS_POLL_MS: 5000,
    });
    expect(loadServerEnv({ ...base, JOBS_ENABLED: "false" }).JOBS_ENABLED).toBe(false);
    expect(() => loadServerEnv({ ...base, JOBS_ENABLED: "yes" })).toThrow(
      /JOBS_ENABLED: must be "true" or "false"/,
    );
    expect(() => loadServerEnv({ ...base, JOBS_CONCURRENCY: "0" })).toThrow(
      /JOBS_CONCURRENCY: must be at least 1 jobs/,
    );
    expect(() => loadServerEnv({ ...base, JOBS_POLL_MS: "soon" })).toThrow(
      /JOBS_POLL_MS: must be a whole number of milliseconds/,
    );
  });

  it("takes LOG_FORMAT json or pretty, unset by default, and refuses anything else by name", () => {
    expect(loadServerEnv(base).LOG_FORMAT).toBeUndefined();
    expect(loadServerEnv({ ...base, LOG_FORMAT: "pretty" }).LOG_FORMAT).toBe("pretty");
    expect(() => loadServerEnv({ ...base, LOG_FORMAT: "yaml" })).toThrow(
      /LOG_FORMAT: Invalid option: expected one of "json"\|"pretty"/,
    );
  });

  it("takes API key rate limits with defaults and names a bad one with what it must be", () => {
    expect(loadServerEnv(base)).toMatchObject({
      API_KEY_RATE_LIMIT_PER_KEY: 600,
      API_KEY_RATE_LIMIT_PER_TENANT: 3000,
      API_KEY_RATE_WINDOW_SECONDS: 60,
    });
    expect(
      loadServerEnv({ ...base, API_KEY_RATE_LIMIT_PER_KEY: "5" }).API_KEY_RATE_LIMIT_PER_KEY,
    ).toBe(5);
    expect(() => loadServerEnv({ ...base, API_KEY_RATE_LIMIT_PER_KEY: "0" })).toThrow(
      /API_KEY_RATE_LIMIT_PER_KEY: must be at least 1 call/,
    );
    expect(() => loadServerEnv({ ...base, API_KEY_RATE_WINDOW_SECONDS: "1.5" })).toThrow(
      /API_KEY_RATE_WINDOW_SECONDS: must be a whole number of seconds/,
    );
    expect(() => loadServerEnv({ ...base, API_KEY_RATE_LIMIT_PER_TENANT: "lots" })).toThrow(
      /API_KEY_RATE_LIMIT_PER_TENANT: must be a whole number of calls/,
    );
  });

  it("takes the per-tenant admission knobs with defaults and names a bad one", () => {
    expect(loadServerEnv(base)).toMatchObject({
      TENANT_ADMISSION: true,
      TENANT_QUEUE_FACTOR: 4,
      TENANT_QUEUE_TIMEOUT_MS: 2000,
      TENANT_BUSY_RETRY_AFTER_SECONDS: 1,
      TENANT_RATE_SYNC_MS: 500,
    });
    expect(loadServerEnv({ ...base, TENANT_QUEUE_FACTOR: "0" }).TENANT_QUEUE_FACTOR).toBe(0);
    expect(loadServerEnv({ ...base, TENANT_ADMISSION: "false" }).TENANT_ADMISSION).toBe(false);
    expect(() => loadServerEnv({ ...base, TENANT_RATE_SYNC_MS: "5" })).toThrow(
      /TENANT_RATE_SYNC_MS: must be at least 10 milliseconds/,
    );
    expect(() => loadServerEnv({ ...base, TENANT_QUEUE_TIMEOUT_MS: "soon" })).toThrow(
      /TENANT_QUEUE_TIMEOUT_MS: must be a whole number of milliseconds/,
    );
  });

  it("caps V8 heap growth at 2x the live heap unless told otherwise", () => {
    expect(loadServerEnv(base).API_HEAP_GROWTH_PERCENT).toBe(100);
    expect(loadServerEnv({ ...base, API_HEAP_GROWTH_PERCENT: "0" }).API_HEAP_GROWTH_PERCENT).toBe(
      0,
    );
    expect(() => loadServerEnv({ ...base, API_HEAP_GROWTH_PERCENT: "-5" })).toThrow(
      /API_HEAP_GROWTH_PERCENT/,
    );
    expect(() => loadServerEnv({ ...base, API_HEAP_GROWTH_PERCENT: "lots" })).toThrow(
      /API_HEAP_GROWTH_PERCENT/,
    );
  });

  it("takes an optional METRICS_TOKEN: empty is unset, a short or spaced one is refused", () => {
    expect(loadServerEnv({ ...base, METRICS_TOKEN: "" }).METRICS_TOKEN).toBeUndefined();
    expect(loadServerEnv({ ...base, METRICS_TOKEN: "t".repeat(32) }).METRICS_TOKEN).toBe(
      "t".repeat(32),
    );
    expect(() => loadServerEnv({ ...base, METRICS_TOKEN: "short" })).toThrow(
      /METRICS_TOKEN: must be at least 32 characters/,
    );
    expect(() => loadServerEnv({ ...base, METRICS_TOKEN: `${"t".repeat(32)} x` })).toThrow(
      /METRICS_TOKEN: must be printable ASCII without spaces/,
    );
  });
});
