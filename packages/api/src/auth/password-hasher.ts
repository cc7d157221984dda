// Password hashing goes through tenancy's hasher (argon2id with the configured cost), so hashes
// the api writes match provisioning's. The dummy hash lets "unknown email" spend the same verify
// time as "wrong password".
import { randomUUID } from "node:crypto";

import type { PasswordHashing } from "../tenancy-port";

export interface PasswordHasher extends PasswordHashing {
  /** Verifies against a hash of a random secret made with the same cost: same time, always false. */
  burn(password: string): Promise<false>;
}

export async function createPasswordHasher(base: PasswordHashing): Promise<PasswordHasher> {
  const dummy = await base.hash(randomUUID());
  return {
    hash: (password) => base.hash(password),
    verify: (hash, password) => base.verify(hash, password),
    async burn(password) {
      await base.verify(dummy, password);
      return false;
    },
  };
}
