// argon2id hashing for passwords the api writes (member passwords, admins). The dummy hash lets
// "unknown email" spend the same verify time as "wrong password".
import argon2 from "argon2";

import type { PasswordHashing } from "../tenancy-port";

export interface Argon2Params {
  memoryCost?: number;
  timeCost?: number;
  parallelism?: number;
}

export interface PasswordHasher extends PasswordHashing {
  /** Verifies against a fixed hash of a random secret: same cost, always false. */
  burn(password: string): Promise<false>;
}

export async function createPasswordHasher(params: Argon2Params = {}): Promise<PasswordHasher> {
  const opts = { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 1, ...params };
  const dummy = await argon2.hash(crypto.randomUUID(), opts);
  const verify = async (hash: string, password: string) => {
    if (!hash.startsWith("$argon2id$")) return false;
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  };
  return {
    hash: (password) => argon2.hash(password, opts),
    verify,
    async burn(password) {
      await verify(dummy, password);
      return false;
    },
  };
}
