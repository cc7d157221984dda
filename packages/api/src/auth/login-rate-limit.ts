// Login throttling shared by every instance, in the control database's TTL-indexed loginAttempts.
// Each attempt is written *before* its password is verified and then counted, so attempts that
// run in parallel (or arrive in one request) see each other: of N concurrent attempts on a key
// whose limit is L, at most L are verified. An attempt refused by the limit is deleted again (it
// cost no verification, and must not fill another key's budget); a successful one stops counting.
//
// Keys (the email is hashed, so not even failed identifiers are stored):
//   pair  = email + client IP   `maxFailuresPerEmail` (5): the lock an attacker can reach, and it
//                               locks only the attacker's own address out of that account;
//   email = email from any IP   `maxFailuresPerEmailAnyIp` (100): a ceiling for guessing spread
//                               over many addresses; reaching it takes >= 20 addresses' budgets;
//   ip    = client IP           `maxFailuresPerIp` (50): spraying one password over many emails.
import { createHash } from "node:crypto";

import type { Types } from "mongoose";

import type { Tenancy } from "../tenancy-port";

export interface RateLimitConfig {
  windowMs: number;
  /** Failures per email from one client address. */
  maxFailuresPerEmail: number;
  /** Failures per email over all addresses. */
  maxFailuresPerEmailAnyIp: number;
  maxFailuresPerIp: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  windowMs: 15 * 60_000,
  maxFailuresPerEmail: 5,
  maxFailuresPerEmailAnyIp: 100,
  maxFailuresPerIp: 50,
};

export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many login attempts; try again in ${retryAfterSeconds} s`);
  }
}

export type RateLimitScope = "tenant" | "admin";

/** One admitted attempt: it counts as a failure unless `succeeded()` is called. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  /**
   * No verdict on the password (the tenant's database did not answer, say): not a failed guess,
   * so an outage never fills the per-IP budget that every user behind one address shares.
   */
  abandoned(): Promise<void>;
}

export interface LoginRateLimiter {
  /** Records an attempt, then throws RateLimited when any of its keys is over its limit. */
  begin(scope: RateLimitScope, email: string, ip: string | null): Promise<LoginAttempt>;
}

const emailHash = (email: string) =>
  createHash("sha256").update(email.trim().toLowerCase()).digest("hex");

export function createLoginRateLimiter(
  control: Tenancy["control"],
  config: RateLimitConfig,
): LoginRateLimiter {
  const { LoginAttempt } = control;

  /** Seconds until `key` is under `max` again, or null when it is under now (own attempt included). */
  async function over(key: string, max: number): Promise<number | null> {
    const since = new Date(Date.now() - config.windowMs);
    const failures = await LoginAttempt.find({ key, success: false, createdAt: { $gt: since } })
      .sort({ createdAt: -1 })
      .limit(max + 1)
      .select({ createdAt: 1 })
      .lean();
    if (failures.length <= max) return null;
    const oldest = failures[failures.length - 1]?.createdAt ?? new Date();
    return Math.max(1, Math.ceil((oldest.getTime() + config.windowMs - Date.now()) / 1000));
  }

  return {
    async begin(scope, email, ip) {
      const hashed = emailHash(email);
      const limits: [string, number][] = [
        [`${scope}:pair:${hashed}:${ip ?? "-"}`, config.maxFailuresPerEmail],
        [`${scope}:email:${hashed}`, config.maxFailuresPerEmailAnyIp],
      ];
      if (ip) limits.push([`${scope}:ip:${ip}`, config.maxFailuresPerIp]);
      const createdAt = new Date();
      const docs = await LoginAttempt.insertMany(
        limits.map(([key]) => ({ key, success: false, createdAt })),
      );
      const ids: Types.ObjectId[] = docs.map((d) => d._id);
      const waits = await Promise.all(limits.map(([key, max]) => over(key, max)));
      const wait = Math.max(0, ...waits.map((w) => w ?? 0));
      if (wait > 0) {
        await LoginAttempt.deleteMany({ _id: { $in: ids } });
        throw new RateLimited(wait);
      }
      return {
        async succeeded() {
          await LoginAttempt.updateMany({ _id: { $in: ids } }, { $set: { success: true } });
        },
        async abandoned() {
          await LoginAttempt.deleteMany({ _id: { $in: ids } });
        },
      };
    },
  };
}
