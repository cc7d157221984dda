import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { decryptUri, encryptUri, redactUri } from "./cluster-crypto";

const key = randomBytes(32);
const uri = "mongodb://user:s3cret@db.internal:27017/?replicaSet=rs0";

describe("cluster URI encryption", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = encryptUri(key, "east", uri);
    expect(sealed).not.toContain("s3cret");
    expect(sealed).not.toContain("db.internal");
    expect(decryptUri(key, "east", sealed)).toBe(uri);
    expect(encryptUri(key, "east", uri)).not.toBe(sealed); // fresh IV every time
  });

  it("refuses a wrong key, a tampered ciphertext, or a ciphertext moved to another cluster", () => {
    const sealed = encryptUri(key, "east", uri);
    expect(() => decryptUri(randomBytes(32), "east", sealed)).toThrow();
    expect(() => decryptUri(key, "west", sealed)).toThrow();
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[3] ?? "", "base64url");
    ct[0] = (ct[0] ?? 0) ^ 1;
    expect(() =>
      decryptUri(key, "east", [parts[0], parts[1], parts[2], ct.toString("base64url")].join(".")),
    ).toThrow();
    expect(() => decryptUri(key, "east", "garbage")).toThrow(/known format/);
  });

  it("redacts credentials for logs", () => {
    expect(redactUri(uri)).toBe("mongodb://***@db.internal:27017/");
  });
});
