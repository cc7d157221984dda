// One-time link tokens, shared by password resets and invites. A link carries
// "<routing id>.<256 random bits>"; only its sha-256 is stored, next to the account it opens (the
// tenant database for tenant users). A link works once, until it expires or is revoked; a used,
// expired or revoked link is kept until `purgeAt` so a second use can be told apart from a forgery.
import { createHash, randomBytes } from "node:crypto";

import type { Model, Types } from "mongoose";

/** How long a used, expired or revoked link is kept, to answer "used"/"expired" rather than "invalid". */
const KEEP_AFTER_EXPIRY_MS = 24 * 3600_000;
const TOKEN_PATTERN = /^([a-f0-9]{24})\.[A-Za-z0-9_-]{43}$/;

const hashLinkToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The routing id (tenant or admin id) of a well-formed token; null for anything else. */
export const linkRoutingId = (token: string): string | null =>
  TOKEN_PATTERN.exec(token)?.[1] ?? null;

/** The fields every link collection has. */
export interface LinkDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  usedAt: Date | null;
  /** Only invites are revoked (revoke, or a newer invite); resets never set it. */
  revokedAt?: Date | null;
  purgeAt: Date;
}

export type LinkRefusal = "invalid" | "expired" | "used" | "revoked";

/** Stores a fresh link for `userId` in `model`; returns the token (never stored) and its expiry. */
export async function issueLink<D extends LinkDoc>(
  model: Model<D>,
  routingId: string,
  userId: Types.ObjectId,
  ttlMs: number,
  extra: Partial<Omit<D, keyof LinkDoc>> = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = `${routingId}.${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + ttlMs);
  const doc = {
    ...extra,
    tokenHash: hashLinkToken(token),
    userId,
    expiresAt,
    purgeAt: new Date(expiresAt.getTime() + KEEP_AFTER_EXPIRY_MS),
  };
  // mongoose cannot type a create over a generic document; the fields above are LinkDoc's.
  await model.create(doc as Parameters<Model<D>["create"]>[0]);
  return { token, expiresAt };
}

/** The stored link of a token, or the reason it cannot be used (checked in this order). */
export async function findUsableLink<D extends LinkDoc>(
  model: Model<D>,
  token: string,
): Promise<D | LinkRefusal> {
  const link = await model.findOne({ tokenHash: hashLinkToken(token) }).lean<D>();
  if (!link) return "invalid";
  if (link.usedAt) return "used";
  if (link.revokedAt) return "revoked";
  if (link.expiresAt.getTime() <= Date.now()) return "expired";
  return link;
}

/**
 * Claims the link once `check` (run before claiming, so a refused password keeps the link usable)
 * passes; every other unused link of that account goes too. `refuse` turns a reason into the
 * caller's typed error.
 */
export async function claimLink<D extends LinkDoc, T>(
  model: Model<D>,
  token: string,
  refuse: (why: LinkRefusal) => Error,
  check: (link: D) => Promise<T>,
): Promise<T> {
  const link = await findUsableLink(model, token);
  if (typeof link === "string") throw refuse(link);
  const checked = await check(link);
  const now = new Date();
  const claimed = await model.updateOne(
    // `revokedAt: null` also matches links without the field (resets).
    { _id: link._id, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
    { $set: { usedAt: now } },
  );
  if (claimed.modifiedCount !== 1) throw refuse("used");
  await model.updateMany(
    { userId: link.userId, usedAt: null, revokedAt: null },
    { $set: { usedAt: now } },
  );
  return checked;
}

/** Revokes every live (unused, unrevoked) link of `userId`; returns how many. */
export async function revokeLinks<D extends LinkDoc>(
  model: Model<D>,
  userId: Types.ObjectId,
): Promise<number> {
  const revoked = await model.updateMany(
    { userId, usedAt: null, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  );
  return revoked.modifiedCount;
}
