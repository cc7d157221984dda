import { describe, expect, it } from "vitest";

import {
  DEFAULT_PASSWORD_HASHING,
  createPasswordHasher,
  hashPassword,
  verifyPassword,
} from "./password-hashing";

describe("password hashing", () => {
  it("produces argon2id hashes that verify only the right password", async () => {
    const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1 });
    const hash = await hasher.hash("hunter2hunter2");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await verifyPassword(hash, "hunter2hunter2")).toBe(true);
    expect(await verifyPassword(hash, "hunter2hunter3")).toBe(false);
  });

  it("treats malformed or non-argon2id hashes as a mismatch, never a throw", async () => {
    expect(await verifyPassword("", "x")).toBe(false);
    expect(await verifyPassword("$argon2id$garbage", "x")).toBe(false);
    expect(await verifyPassword("$2b$10$abcdefghijklmnopqrstuv", "x")).toBe(false);
  });

  it("defaults to production-grade cost", async () => {
    expect(DEFAULT_PASSWORD_HASHING.memoryCost).toBeGreaterThanOrEqual(19_456);
    const hash = await hashPassword("a default-cost password");
    expect(hash).toContain(
      `m=${DEFAULT_PASSWORD_HASHING.memoryCost},t=${DEFAULT_PASSWORD_HASHING.timeCost}`,
    );
  });
});
