// A person's sign-ins as they see them on their profile: one entry per session family (tenant
// users' in their tenant database, super admins' in the control database), ended one at a time
// or all but the current one. Device, IP and times come from the family's rows: every refresh
// already writes a row (with the client's user agent and IP), so "last used" is its newest row's
// createdAt and costs no extra write. Rows written before these fields existed list as unknown.
import type { Model } from "mongoose";
import { Types } from "mongoose";

import { InvalidInput, TenancyError } from "./errors";

export interface SessionSummary {
  /** The family id. */
  id: string;
  /** A short label such as "Chrome on Linux" ("Unknown device" without a user agent). */
  device: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date | null;
  lastUsedAt: Date | null;
  /** The session the request came with. */
  current: boolean;
}

/** Someone's session that is not live or not theirs (the two are not told apart). */
export class SessionNotFound extends TenancyError {
  constructor() {
    super("NOT_FOUND", "No such session (it may have ended already)");
  }
}

const FAMILY_ID = /^[a-f0-9]{32}$/;

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Version\/[\d.]+.*Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, "Windows"],
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux|X11/, "Linux"],
];

/** "Chrome on Linux", "Firefox", "curl", or "Unknown device". */
export function deviceLabel(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return "Unknown device";
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser ?? system) return (browser ?? system) as string;
  // A program: its product token ("curl/8.5.0" -> "curl").
  const product = /^([A-Za-z][\w.-]{0,40})/.exec(ua)?.[1];
  return product ?? "Unknown device";
}

export interface SessionFamilies {
  /** The owner's live sessions, most recently used first; `currentFamilyId` is marked current. */
  list(ownerId: string, currentFamilyId: string | null): Promise<SessionSummary[]>;
  /** Ends one of the owner's live sessions other than the current one (SessionNotFound otherwise). */
  end(ownerId: string, familyId: string, currentFamilyId: string | null): Promise<void>;
  /** Ends all the owner's sessions but the current one; returns how many were ended. */
  endOthers(ownerId: string, currentFamilyId: string | null): Promise<number>;
}

interface Row {
  familyId: string;
  revokedAt: Date | null;
  expiresAt: Date;
}

/** The sessions of `model` owned through `ownerField` (tenant `userId`, admin `adminId`). */
export function sessionFamilies<S>(
  model: Model<S>,
  ownerField: "userId" | "adminId",
): SessionFamilies {
  const rows = model as unknown as Model<Row>;
  const owner = (ownerId: string) => {
    if (!Types.ObjectId.isValid(ownerId)) throw new InvalidInput("Invalid account id");
    // Impersonation sessions are the admin's, not the user's: not listed, not ended from here.
    return { [ownerField]: new Types.ObjectId(ownerId), impersonatedBy: null };
  };
  const assertFamilyId = (familyId: string) => {
    if (!FAMILY_ID.test(familyId))
      throw new InvalidInput("Invalid session id: expected 32 hexadecimal characters");
  };
  const revoke = async (filter: Record<string, unknown>, reason: string) => {
    const res = await rows.updateMany(
      { ...filter, revokedAt: null },
      { $set: { revokedAt: new Date(), revokedReason: reason } },
    );
    return res.modifiedCount;
  };
  return {
    async list(ownerId, currentFamilyId) {
      const now = new Date();
      const groups = await rows.aggregate<{
        _id: string;
        createdAt: Date | null;
        lastUsedAt: Date | null;
        userAgent: string | null;
        ip: string | null;
        live: boolean;
      }>([
        { $match: owner(ownerId) },
        { $sort: { createdAt: 1 } },
        {
          $group: {
            _id: "$familyId",
            createdAt: { $first: { $ifNull: ["$createdAt", null] } },
            lastUsedAt: { $last: { $ifNull: ["$createdAt", null] } },
            userAgent: { $last: { $ifNull: ["$userAgent", null] } },
            ip: { $last: { $ifNull: ["$ip", null] } },
            live: {
              $max: {
                $and: [
                  { $eq: [{ $ifNull: ["$revokedAt", null] }, null] },
                  { $gt: ["$expiresAt", now] },
                ],
              },
            },
          },
        },
        { $match: { live: true } },
        { $sort: { lastUsedAt: -1 } },
      ]);
      return groups.map((g) => ({
        id: g._id,
        device: deviceLabel(g.userAgent),
        userAgent: g.userAgent,
        ip: g.ip,
        createdAt: g.createdAt,
        lastUsedAt: g.lastUsedAt,
        current: g._id === currentFamilyId,
      }));
    },
    async end(ownerId, familyId, currentFamilyId) {
      assertFamilyId(familyId);
      if (familyId === currentFamilyId)
        throw new InvalidInput("This is the session you are using; sign out instead");
      const live = await rows.exists({
        ...owner(ownerId),
        familyId,
        revokedAt: null,
        expiresAt: { $gt: new Date() },
      });
      if (!live) throw new SessionNotFound();
      await revoke({ ...owner(ownerId), familyId }, "ended-by-user");
    },
    async endOthers(ownerId, currentFamilyId) {
      const filter: Record<string, unknown> = owner(ownerId);
      if (currentFamilyId) filter.familyId = { $ne: currentFamilyId };
      const live = await rows.distinct("familyId", {
        ...filter,
        revokedAt: null,
        expiresAt: { $gt: new Date() },
      });
      await revoke(filter, "ended-by-user");
      return live.length;
    },
  };
}
