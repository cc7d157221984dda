// The API key string and its stored hash. A tenant key reads
//   tnk_<tenant id: 24 hex>_<key id: 24 hex>_<secret: 64 hex>
// and a platform key `tnp_<key id>_<secret>`: the server finds the tenant (registry) and the key
// record (by _id in the tenant's own database) from the string alone, without scanning or a
// lookup table in the control database. Ids are not secrets; only the secret part is.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import { Types } from "mongoose";

import { ApiKeyRefused } from "./errors";
import { PLATFORM_KEY_PREFIX, TENANT_KEY_PREFIX } from "./policies/api-key-scopes";

const SECRET_BYTES = 32;
const TENANT_KEY = /^tnk_([0-9a-f]{24})_([0-9a-f]{24})_([0-9a-f]{64})$/;
const PLATFORM_KEY = /^tnp_([0-9a-f]{24})_([0-9a-f]{64})$/;

export type ParsedApiKey =
  | { kind: "tenant"; tenantId: string; keyId: string; secret: string }
  | { kind: "platform"; keyId: string; secret: string };

/** Whether a bearer credential is meant as an API key (then it must parse, or it is refused). */
export const looksLikeApiKey = (token: string): boolean =>
  token.startsWith(TENANT_KEY_PREFIX) || token.startsWith(PLATFORM_KEY_PREFIX);

/** The parts of an API key; KEY_MALFORMED when the string has the prefix but not the shape. */
export function parseApiKey(token: string): ParsedApiKey {
  const t = TENANT_KEY.exec(token);
  if (t?.[1] && t[2] && t[3]) return { kind: "tenant", tenantId: t[1], keyId: t[2], secret: t[3] };
  const p = PLATFORM_KEY.exec(token);
  if (p?.[1] && p[2]) return { kind: "platform", keyId: p[1], secret: p[2] };
  throw new ApiKeyRefused("KEY_MALFORMED");
}

/**
 * SHA-256, not argon2: the secret is 256 random bits, so there is nothing to brute-force and a
 * slow hash would only cost CPU on every call. The hash lets a leaked database not leak keys.
 */
export const hashKeySecret = (secret: string): string =>
  createHash("sha256").update(secret).digest("hex");

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashKeySecret(secret), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh key: its record id, the full string (shown once) and the hash to store. */
export function newApiKey(
  kind: "tenant" | "platform",
  tenantId?: string,
): { id: Types.ObjectId; key: string; secretHash: string } {
  const id = new Types.ObjectId();
  const secret = randomBytes(SECRET_BYTES).toString("hex");
  const key =
    kind === "tenant"
      ? `${TENANT_KEY_PREFIX}${tenantId}_${id.toHexString()}_${secret}`
      : `${PLATFORM_KEY_PREFIX}${id.toHexString()}_${secret}`;
  return { id, key, secretHash: hashKeySecret(secret) };
}

/** Expired, revoked or alive: the one rule both key kinds follow. */
export function keyRefusal(
  doc: { revokedAt: Date | null; expiresAt: Date | null },
  now = new Date(),
): ApiKeyRefused | null {
  if (doc.revokedAt) return new ApiKeyRefused("KEY_REVOKED");
  if (doc.expiresAt && doc.expiresAt <= now) return new ApiKeyRefused("KEY_EXPIRED");
  return null;
}
