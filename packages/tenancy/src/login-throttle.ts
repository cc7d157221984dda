// Login throttling shared by every instance, in the control database's TTL-indexed loginAttempts.
// Each attempt is written *before* its password is verified, as `pending`, and then counted, so
// attempts that run in parallel (or arrive in one request) see each other: of N concurrent
// attempts on a key whose limit is L, at most L are verified. Once judged, a wrong password is
// `failed` (counted for the whole window) and a right one `succeeded` (no longer counted). An
// attempt that is never judged (its database did not answer) counts only while it could still be
// in flight (`pendingCountsMs`): an outage must not fill the per-IP budget that every user behind
// one address shares, and it cannot, even when the outage also stops the attempt's own update.
// An attempt refused by the limit is deleted again (it cost no verification).
//
// Keys (the email is hashed, so not even failed identifiers are stored):
//   pair  = email + client IP   `maxFailuresPerEmail` (5): the lock an attacker can reach, and it
//                               locks only the attacker's own address out of that account;
//   email = email from any IP   `maxFailuresPerEmailAnyIp` (100): a ceiling for guessing spread
//                               over many addresses; reaching it takes >= 20 addresses' budgets;
//   ip    = client IP           `maxFailuresPerIp` (50): spraying one password over many emails.
import { createHash } from "node:crypto";

import type { Model, Types } from "mongoose";

import type { LoginAttemptDoc } from "./control-models";

export interface RateLimitConfig {
  windowMs: number;
  /** Failures per email from one client address. */
  maxFailuresPerEmail: number;
  /** Failures per email over all addresses. */
  maxFailuresPerEmailAnyIp: number;
  maxFailuresPerIp: number;
  /** How long an attempt not yet judged counts: longer than any verification takes. */
  pendingCountsMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  windowMs: 15 * 60_000,
  maxFailuresPerEmail: 5,
  maxFailuresPerEmailAnyIp: 100,
  maxFailuresPerIp: 50,
  pendingCountsMs: 10_000, // argon2 under load takes well under 1 s
};

export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many login attempts; try again in ${retryAfterSeconds} s`);
  }
}

/** Sign-ins, and password-reset requests ("…-reset"), each with budgets of their own. */
export type RateLimitScope = "tenant" | "admin" | "tenant-reset" | "admin-reset";

/** One admitted attempt, to be judged once its password has been verified. */
export interface LoginAttempt {
  /** The password was right: the attempt stops counting. */
  succeeded(): Promise<void>;
  /** The password was wrong (or there was no such account): a failure for the whole window. */
  failed(): Promise<void>;
}

export interface LoginRateLimiter {
  /** Records an attempt, then throws RateLimited when any of its keys is over its limit. */
  begin(scope: RateLimitScope, email: string, ip: string | null): Promise<LoginAttempt>;
}

const emailHash = (email: string) =>
  createHash("sha256").update(email.trim().toLowerCase()).digest("hex");

/** Wired by createTenancy over the control database: `tenancy.loginRateLimiter(config)`. */
export function createLoginRateLimiter(
  LoginAttempt: Model<LoginAttemptDoc>,
  config: RateLimitConfig,
): LoginRateLimiter {
  /** Seconds until `key` is under `max` again, or null when it is under now (own attempt included). */
  async function over(key: string, max: number): Promise<number | null> {
    const now = Date.now();
    const failures = await LoginAttempt.find({
      key,
      createdAt: { $gt: new Date(now - config.windowMs) },
      $or: [
        { outcome: "failed" },
        { outcome: "pending", createdAt: { $gt: new Date(now - config.pendingCountsMs) } },
      ],
    })
      .sort({ createdAt: -1 })
      .limit(max + 1)
      .select({ createdAt: 1, outcome: 1 })
      .lean();
    if (failures.length <= max) return null;
    // The soonest of these to stop counting brings the key back under its limit.
    const until = Math.min(
      ...failures.map(
        (f) =>
          f.createdAt.getTime() +
          (f.outcome === "pending" ? config.pendingCountsMs : config.windowMs),
      ),
    );
    return Math.max(1, Math.ceil((until - now) / 1000));
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
        limits.map(([key]) => ({ key, outcome: "pending" as const, createdAt })),
      );
      const ids: Types.ObjectId[] = docs.map((d) => d._id);
      const waits = await Promise.all(limits.map(([key, max]) => over(key, max)));
      const wait = Math.max(0, ...waits.map((w) => w ?? 0));
      if (wait > 0) {
        await LoginAttempt.deleteMany({ _id: { $in: ids } });
        throw new RateLimited(wait);
      }
      const judge = async (outcome: "failed" | "succeeded") => {
        await LoginAttempt.updateMany({ _id: { $in: ids } }, { $set: { outcome } });
      };
      return { succeeded: () => judge("succeeded"), failed: () => judge("failed") };
    },
  };
}
