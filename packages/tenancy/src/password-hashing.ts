// argon2id only. Tenant users' hashes live in the tenant database; the control DB never sees one.
import argon2 from "argon2";

import type { PasswordHashingParams } from "./config";

/** OWASP-grade defaults (64 MiB, 3 passes). Tests pass cheaper argon2id params through config. */
export const DEFAULT_PASSWORD_HASHING: Required<PasswordHashingParams> = {
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 1,
};

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export function createPasswordHasher(params: PasswordHashingParams = {}): PasswordHasher {
  const opts = { ...DEFAULT_PASSWORD_HASHING, ...params };
  return {
    hash: (password) => argon2.hash(password, { type: argon2.argon2id, ...opts }),
    verify: (hash, password) => verifyPassword(hash, password),
  };
}

export function hashPassword(password: string, params?: PasswordHashingParams): Promise<string> {
  return createPasswordHasher(params).hash(password);
}

/** False (never a throw) for a malformed or non-argon2id hash, so callers answer "bad credentials". */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (!hash.startsWith("$argon2id$")) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
