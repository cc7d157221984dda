// Login throttling shared by every instance: failed attempts live in the control database's
// loginAttempts collection (TTL-indexed), keyed by a hash of the email and by client IP.
import { createHash } from "node:crypto";

import type { Tenancy } from "../tenancy-port";

export interface RateLimitConfig {
  windowMs: number;
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  windowMs: 15 * 60_000,
  maxFailuresPerEmail: 5,
  maxFailuresPerIp: 50,
};

export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many login attempts; try again in ${retryAfterSeconds} s`);
  }
}

// Hashing the email keeps even the identifiers of failed logins out of the control database.
const emailKey = (scope: string, email: string) =>
  `${scope}:email:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
const ipKey = (scope: string, ip: string) => `${scope}:ip:${ip}`;

export interface LoginRateLimiter {
  /** Throws RateLimited when either key has too many recent failures. */
  check(scope: "tenant" | "admin", email: string, ip: string | null): Promise<void>;
  record(
    scope: "tenant" | "admin",
    email: string,
    ip: string | null,
    success: boolean,
  ): Promise<void>;
}

export function createLoginRateLimiter(
  control: Tenancy["control"],
  config: RateLimitConfig,
): LoginRateLimiter {
  async function over(key: string, max: number): Promise<number | null> {
    const since = new Date(Date.now() - config.windowMs);
    const failures = await control.LoginAttempt.find({
      key,
      success: false,
      createdAt: { $gt: since },
    })
      .sort({ createdAt: -1 })
      .limit(max)
      .select({ createdAt: 1 })
      .lean();
    if (failures.length < max) return null;
    const oldest = failures[failures.length - 1]?.createdAt ?? new Date();
    return Math.max(1, Math.ceil((oldest.getTime() + config.windowMs - Date.now()) / 1000));
  }
  return {
    async check(scope, email, ip) {
      const [byEmail, byIp] = await Promise.all([
        over(emailKey(scope, email), config.maxFailuresPerEmail),
        ip ? over(ipKey(scope, ip), config.maxFailuresPerIp) : Promise.resolve(null),
      ]);
      const wait = Math.max(byEmail ?? 0, byIp ?? 0);
      if (wait > 0) throw new RateLimited(wait);
    },
    async record(scope, email, ip, success) {
      const docs = [{ key: emailKey(scope, email), success, createdAt: new Date() }];
      if (ip) docs.push({ key: ipKey(scope, ip), success, createdAt: new Date() });
      await control.LoginAttempt.insertMany(docs);
    },
  };
}
