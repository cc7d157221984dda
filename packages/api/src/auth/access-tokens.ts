// Access tokens: HS256 JWTs via jose. The algorithm is pinned on verify, so `alg: none` or an
// RS/HS confusion token is refused before any claim is read. HMAC keys are imported once, and a
// token verified before is answered from a bounded cache (its expiry re-checked on every hit).
import { webcrypto } from "node:crypto";

import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";

const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALG = "HS256";

interface JwtKey {
  kid: string;
  secret: string;
}

export type JwtConfig = {
  issuer: string;
  audience: string;
  /** Audience of super-admin tokens; a tenant token is never accepted where an admin one is needed. */
  adminAudience?: string;
  /** Access-token lifetime in seconds (default 15 minutes). */
  accessTtlSeconds?: number;
} & ({ secret: string } | { keys: JwtKey[] }); // keys[0] signs; all verify (rotation)

export interface TenantClaims {
  kind: "tenant";
  sub: string;
  tid: string;
  role: "owner" | "admin" | "member";
  sid: string;
  /** Set on impersonation tokens: the super admin acting as this user. */
  imp?: { adminId: string; adminEmail: string; write?: true };
  exp: number;
}

export interface AdminClaims {
  kind: "admin";
  sub: string;
  sid: string;
  exp: number;
}

export class TokenInvalid extends Error {
  constructor(readonly reason: "TOKEN_EXPIRED" | "TOKEN_INVALID") {
    super(reason === "TOKEN_EXPIRED" ? "Access token expired" : "Invalid access token");
  }
}

export interface AccessTokens {
  signTenant(
    claims: Omit<TenantClaims, "kind" | "exp">,
    ttlSeconds?: number,
  ): Promise<{ token: string; expiresAt: Date }>;
  signAdmin(claims: Omit<AdminClaims, "kind" | "exp">): Promise<{ token: string; expiresAt: Date }>;
  verifyTenant(token: string): Promise<TenantClaims>;
  verifyAdmin(token: string): Promise<AdminClaims>;
}

/** Verified tokens remembered per process; a hit still checks `exp`, so expiry is never cached away. */
const VERIFIED_TOKEN_CACHE_MAX = 5000;

type VerifiedKind = TenantClaims | AdminClaims;

export function createAccessTokens(config: JwtConfig): AccessTokens {
  const keys = ("keys" in config ? config.keys : [{ kid: "k1", secret: config.secret }]).map(
    (k) => {
      if (k.secret.length < 32)
        throw new Error(`JWT secret "${k.kid}" must be at least 32 characters`);
      // Imported once: jose would otherwise import raw key bytes through webcrypto on every call.
      const key = webcrypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(k.secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign", "verify"],
      );
      return { kid: k.kid, key };
    },
  );
  const signing = keys[0];
  if (!signing) throw new Error("JWT config needs at least one key");
  // Keyed by the exact token string and audience; only tokens that passed full verification.
  const verified = new LRUCache<string, VerifiedKind>({ max: VERIFIED_TOKEN_CACHE_MAX });
  const ttl = config.accessTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const adminAudience = config.adminAudience ?? `${config.audience}:admin`;

  async function sign(
    payload: Record<string, unknown>,
    sub: string,
    audience: string,
    ttlSeconds: number,
  ) {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + ttlSeconds;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: ALG, kid: signing?.kid, typ: "JWT" })
      .setSubject(sub)
      .setIssuer(config.issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(await signing!.key); // eslint-disable-line @typescript-eslint/no-non-null-assertion -- checked above
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async function verify(token: string, audience: string) {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? keys.find((k) => k.kid === header.kid) : keys[0];
          if (!key) throw new TokenInvalid("TOKEN_INVALID");
          return key.key;
        },
        {
          algorithms: [ALG],
          issuer: config.issuer,
          audience,
          requiredClaims: ["sub", "exp", "iat"],
        },
      );
      return payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new TokenInvalid("TOKEN_EXPIRED");
      throw new TokenInvalid("TOKEN_INVALID");
    }
  }

  /**
   * A token verified before is answered from the cache unless it has expired since (then
   * TOKEN_EXPIRED, as jose would say); otherwise `fresh` verifies it and a pass is remembered.
   * The kind prefixes the key, so a tenant token is never answered where an admin one is asked.
   */
  async function cachedVerify<K extends VerifiedKind>(
    kind: K["kind"],
    token: string,
    fresh: (token: string) => Promise<K>,
  ): Promise<K> {
    const cacheKey = `${kind}:${token}`;
    const hit = verified.get(cacheKey) as K | undefined;
    if (hit) {
      if (hit.exp > Math.floor(Date.now() / 1000)) return hit;
      verified.delete(cacheKey);
      throw new TokenInvalid("TOKEN_EXPIRED");
    }
    // Frozen: one claims object is shared by every call that presents the same token.
    const claims = Object.freeze(await fresh(token)) as K;
    verified.set(cacheKey, claims);
    return claims;
  }

  return {
    signTenant: ({ sub, ...rest }, ttlSeconds = ttl) =>
      sign({ ...rest, kind: "tenant" }, sub, config.audience, ttlSeconds),
    signAdmin: ({ sub, ...rest }) => sign({ ...rest, kind: "admin" }, sub, adminAudience, ttl),
    verifyTenant: (token) => cachedVerify("tenant", token, verifyTenantToken),
    verifyAdmin: (token) => cachedVerify("admin", token, verifyAdminToken),
  };

  async function verifyTenantToken(token: string): Promise<TenantClaims> {
    const p = await verify(token, config.audience);
    const role = p.role;
    if (
      p.kind !== "tenant" ||
      typeof p.sub !== "string" ||
      typeof p.tid !== "string" ||
      typeof p.sid !== "string" ||
      (role !== "owner" && role !== "admin" && role !== "member")
    ) {
      throw new TokenInvalid("TOKEN_INVALID");
    }
    const imp = p.imp as { adminId?: unknown; adminEmail?: unknown; write?: unknown } | undefined;
    return {
      kind: "tenant",
      sub: p.sub,
      tid: p.tid,
      sid: p.sid,
      role,
      exp: p.exp ?? 0,
      ...(imp && typeof imp.adminId === "string" && typeof imp.adminEmail === "string"
        ? {
            imp: {
              adminId: imp.adminId,
              adminEmail: imp.adminEmail,
              ...(imp.write === true ? { write: true as const } : {}),
            },
          }
        : {}),
    };
  }

  async function verifyAdminToken(token: string): Promise<AdminClaims> {
    const p = await verify(token, adminAudience);
    if (p.kind !== "admin" || typeof p.sub !== "string" || typeof p.sid !== "string") {
      throw new TokenInvalid("TOKEN_INVALID");
    }
    return { kind: "admin", sub: p.sub, sid: p.sid, exp: p.exp ?? 0 };
  }
}
