// Opaque refresh tokens: "<routing id>.<256 random bits>". Only the sha-256 of the whole token is
// stored, so a database leak yields nothing usable. The routing id says which database to look in.
import { createHash, randomBytes } from "node:crypto";

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600_000;

export function newOpaqueToken(routingId: string): string {
  return `${routingId}.${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newFamilyId(): string {
  return randomBytes(16).toString("hex");
}

/** The routing id of a well-formed opaque token, or null (malformed tokens never reach the DB). */
export function routingIdOf(token: string): string | null {
  const m = /^([a-f0-9]{24})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return m?.[1] ?? null;
}
