// Refresh-token rotation shared by tenant sessions (tenant database) and admin sessions (control
// database): one family per sign-in, every row one token, `replacedBy` = the successor's hash.
//
// Race-free by two rules:
// - the claim is a compare-and-swap (`replacedBy: null` -> successor hash), so one request wins;
// - the winner, after writing the successor row, re-reads the family: if any row of it was revoked
//   meanwhile (a replay was detected while it worked), the successor is revoked too. Whichever
//   order the two writes land in, no live row survives a detected replay.
//
// Two browser tabs refreshing at once send the same cookie. The loser gets a fresh pair in the
// same family (a sibling row) instead of a reuse alarm when: the token came in the cookie (programs
// have no tabs: for them any second use is a replay), it is the immediately previous token (its
// successor not yet rotated), within REFRESH_GRACE_MS of the rotation, from the same client (IP
// and user agent as the successor row). Anything else presenting a rotated token is a replay:
// the whole family is revoked.
import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { SessionRow, SessionStore } from "../tenancy-port";
import { hashToken, newOpaqueToken } from "./refresh-tokens";

const REFRESH_GRACE_MS = 20_000;

const reuseRefusal = () =>
  refuse(
    "UNAUTHORIZED",
    "REFRESH_REUSED",
    "This refresh token was already used; the session has been ended",
  );

/** Claims `refreshToken` for rotation; returns the row it named and the successor token to store. */
export async function claimRotation<S extends SessionRow>(
  ctx: Context,
  sessions: SessionStore<S>,
  refreshToken: string,
  routingId: string,
  opts: { fromCookie: boolean; revokeFamily: (familyId: string) => Promise<void> },
): Promise<{ previous: S; successor: string }> {
  const tokenHash = hashToken(refreshToken);
  const now = new Date();
  const successor = newOpaqueToken(routingId);
  const claimed = await sessions.claim(tokenHash, hashToken(successor), now);
  if (claimed) return { previous: claimed, successor };
  const seen = await sessions.byHash(tokenHash);
  if (!seen) throw refuse("UNAUTHORIZED", "REFRESH_INVALID", "Invalid or expired refresh token");
  if (opts.fromCookie && !seen.revokedAt && seen.replacedBy && seen.expiresAt > now) {
    const next = await sessions.byHash(seen.replacedBy);
    const graceful =
      next &&
      !next.revokedAt &&
      !next.replacedBy &&
      next.ip === ctx.ip &&
      next.userAgent === ctx.userAgent &&
      now.getTime() - next.createdAt.getTime() < REFRESH_GRACE_MS;
    if (graceful) return { previous: seen, successor };
  }
  if (seen.replacedBy || seen.revokedAt) {
    await opts.revokeFamily(seen.familyId);
    ctx.log.warn({ familyId: seen.familyId }, "refresh token reuse: session family revoked");
    throw reuseRefusal();
  }
  throw refuse("UNAUTHORIZED", "REFRESH_INVALID", "Invalid or expired refresh token");
}

/**
 * Call after the successor row is written: if the family was revoked meanwhile, the successor
 * is revoked as well and the rotation fails as a replay.
 */
export async function confirmFamilyLive(
  sessions: SessionStore,
  familyId: string,
  successor: string,
): Promise<void> {
  if (!(await sessions.familyRevoked(familyId))) return;
  await sessions.revokeToken(hashToken(successor), "refresh-token-reuse");
  throw reuseRefusal();
}
