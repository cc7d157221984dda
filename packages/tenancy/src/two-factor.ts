// Two-factor sign-in: TOTP codes (RFC 6238, by otplib), single-use recovery codes and the
// short-lived challenge that joins a sign-in's password step to its code step.
//
// Where it is stored is the promise: a tenant user's secret, recovery hashes and challenge live on
// their user record in the tenant's own database; a super admin's on their record in the control
// database's `admins`. Nothing of a tenant user's second factor is ever written to the control
// database. The secret is sealed with the platform key (AES-256-GCM, bound to its account), so a
// copy of a tenant database alone does not give away anyone's codes; recovery codes and
// challenges are kept only as sha-256 hashes (they carry 80 and 256 random bits).
import { createHash, randomBytes } from "node:crypto";

import type { Model, Types } from "mongoose";
import { authenticator } from "otplib";

import { openText, sealText } from "./cluster-crypto";
import { TwoFactorRefused } from "./errors";
import type { PasswordHasher } from "./password-hashing";
import type { TwoFactorFields, TwoFactorRecord } from "./two-factor-fields";

export type { TwoFactorFields } from "./two-factor-fields";

/** One account whose second factor is read and written: its collection, id and who it is. */
export interface SecondFactorAccount {
  model: Model<never>;
  id: Types.ObjectId;
  /** Bound to the sealed secret (e.g. "tenant:<tenantId>:<userId>"), so it opens for this account only. */
  owner: string;
  /** Shown in the authenticator app next to the issuer: the email. */
  label: string;
}

const TOTP_ISSUER = "Tenantry";
export const RECOVERY_CODE_COUNT = 10;
const CHALLENGE_TTL_MS = 5 * 60_000;
const STEP_MS = 30_000;
/** One step either side: a phone clock a little off still works. */
const WINDOW = 1;

const totp = authenticator.clone({ window: [WINDOW, WINDOW] });
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const TOTP_PATTERN = /^\d{6}$/;
const RECOVERY_PATTERN = /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/;
const CHALLENGE_SECRET = "[A-Za-z0-9_-]{43}";
const TENANT_CHALLENGE = new RegExp(`^([a-f0-9]{24})\\.([a-f0-9]{24})\\.${CHALLENGE_SECRET}$`);
const ADMIN_CHALLENGE = new RegExp(`^([a-f0-9]{24})\\.${CHALLENGE_SECRET}$`);

/** What a person may type as a code: spaces and dashes of a TOTP code, and case, do not matter. */
function normalizeCode(code: string): string {
  const compact = code.replace(/\s+/g, "").toUpperCase();
  if (/^\d{3}-?\d{3}$/.test(compact)) return compact.replace("-", "");
  const letters = compact.replace(/-/g, "");
  return /^[A-Z2-7]{16}$/.test(letters) ? (letters.match(/.{4}/g) as string[]).join("-") : compact;
}

function newRecoveryCode(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % 32] as string).join("");
  return (chars.match(/.{4}/g) as string[]).join("-");
}

/** The routing part of a tenant user's challenge, or null for anything that is not one. */
export function parseTenantChallenge(token: string): { tenantId: string; userId: string } | null {
  const m = TENANT_CHALLENGE.exec(token);
  return m ? { tenantId: m[1] as string, userId: m[2] as string } : null;
}

/** The admin id of a super admin's challenge, or null. */
export function parseAdminChallenge(token: string): { adminId: string } | null {
  const m = ADMIN_CHALLENGE.exec(token);
  return m ? { adminId: m[1] as string } : null;
}

/** Whether the account has a confirmed second factor. */
export const hasTwoFactor = (doc: TwoFactorFields | null | undefined): boolean =>
  Boolean(doc?.twoFactor?.enabledAt);

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** An enrolment was begun and awaits its first code. */
  pending: boolean;
}

export class TwoFactor {
  constructor(
    private readonly key: Buffer,
    private readonly hasher: PasswordHasher,
  ) {}

  private async read(
    acc: SecondFactorAccount,
  ): Promise<TwoFactorFields & { passwordHash?: string | null }> {
    const doc = await acc.model
      .findById(acc.id)
      .select({ twoFactor: 1, twoFactorPending: 1, twoFactorChallenge: 1, passwordHash: 1 })
      .lean<TwoFactorFields & { passwordHash?: string | null }>();
    if (!doc) throw new TwoFactorRefused("TWO_FACTOR_NOT_ENABLED", "No such account");
    return doc;
  }

  private update(acc: SecondFactorAccount, filter: Record<string, unknown>, update: object) {
    return acc.model.updateOne({ _id: acc.id, ...filter } as never, update as never);
  }

  /** A tenant user's record, in that tenant's own database (never the control database). */
  userAccount(
    scope: { tenant: { id: string }; models: { User: unknown } },
    user: { _id: Types.ObjectId; email: string },
  ): SecondFactorAccount {
    return {
      model: scope.models.User as SecondFactorAccount["model"],
      id: user._id,
      owner: `tenant:${scope.tenant.id}:${user._id.toHexString()}`,
      label: user.email,
    };
  }

  async status(acc: SecondFactorAccount): Promise<TwoFactorStatus> {
    const doc = await this.read(acc);
    return {
      enabled: hasTwoFactor(doc),
      enabledAt: doc.twoFactor?.enabledAt ?? null,
      recoveryCodesLeft: doc.twoFactor?.recoveryHashes.length ?? 0,
      pending: Boolean(doc.twoFactorPending) && !hasTwoFactor(doc),
    };
  }

  /**
   * Starts (or restarts) an enrolment: a new secret, kept pending until a code from it confirms it.
   * Returns the secret (the manual key) and the otpauth URI the QR code shows, once.
   */
  async beginEnrolment(acc: SecondFactorAccount): Promise<{ secret: string; otpauthUri: string }> {
    const doc = await this.read(acc);
    if (hasTwoFactor(doc))
      throw new TwoFactorRefused(
        "TWO_FACTOR_ALREADY_ENABLED",
        "Two-factor sign-in is already on; turn it off first to set up a new authenticator",
      );
    const secret = totp.generateSecret(20);
    await this.update(
      acc,
      {},
      {
        $set: {
          twoFactorPending: {
            secretSealed: sealText(this.key, acc.owner, secret),
            startedAt: new Date(),
          },
        },
      },
    );
    return { secret, otpauthUri: totp.keyuri(acc.label, TOTP_ISSUER, secret) };
  }

  /** Confirms the pending enrolment with a code from it; returns the recovery codes (shown once). */
  async confirmEnrolment(
    acc: SecondFactorAccount,
    code: string,
  ): Promise<{ recoveryCodes: string[] }> {
    const doc = await this.read(acc);
    if (hasTwoFactor(doc))
      throw new TwoFactorRefused("TWO_FACTOR_ALREADY_ENABLED", "Two-factor sign-in is already on");
    if (!doc.twoFactorPending)
      throw new TwoFactorRefused("TWO_FACTOR_NOT_PENDING", "Start the set-up first");
    const secret = openText(this.key, acc.owner, doc.twoFactorPending.secretSealed);
    const step = this.acceptedStep(secret, code, -1);
    if (step === null)
      throw new TwoFactorRefused(
        "TWO_FACTOR_CODE_INVALID",
        "That code is not right; enter the current code from your authenticator app",
      );
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const record: TwoFactorRecord = {
      secretSealed: doc.twoFactorPending.secretSealed,
      enabledAt: new Date(),
      lastStep: step,
      recoveryHashes: recoveryCodes.map(sha256),
    };
    const res = await this.update(
      acc,
      { "twoFactorPending.secretSealed": doc.twoFactorPending.secretSealed },
      { $set: { twoFactor: record, twoFactorPending: null } },
    );
    if (res.modifiedCount !== 1)
      throw new TwoFactorRefused(
        "TWO_FACTOR_NOT_PENDING",
        "The set-up changed meanwhile; start again",
      );
    return { recoveryCodes };
  }

  /** Turns the second factor off; proven by a current code (or a recovery code) or the password. */
  async disable(
    acc: SecondFactorAccount,
    proof: { code?: string; password?: string },
  ): Promise<void> {
    const doc = await this.read(acc);
    if (!hasTwoFactor(doc))
      throw new TwoFactorRefused("TWO_FACTOR_NOT_ENABLED", "Two-factor sign-in is not on");
    let proven = false;
    if (proof.code) proven = (await this.useCode(acc, doc, proof.code)) !== null;
    else if (proof.password && doc.passwordHash)
      proven = await this.hasher.verify(doc.passwordHash, proof.password);
    if (!proven)
      throw new TwoFactorRefused(
        "TWO_FACTOR_CODE_INVALID",
        proof.code ? "That code is not right" : "That password is not right",
      );
    await this.update(
      acc,
      {},
      { $set: { twoFactor: null, twoFactorPending: null, twoFactorChallenge: null } },
    );
  }

  /** A new set of recovery codes (the old ones stop working), proven by a current code. */
  async regenerateRecoveryCodes(
    acc: SecondFactorAccount,
    code: string,
  ): Promise<{ recoveryCodes: string[] }> {
    const doc = await this.read(acc);
    if (!hasTwoFactor(doc))
      throw new TwoFactorRefused("TWO_FACTOR_NOT_ENABLED", "Two-factor sign-in is not on");
    if ((await this.useCode(acc, doc, code)) === null)
      throw new TwoFactorRefused("TWO_FACTOR_CODE_INVALID", "That code is not right");
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.update(acc, {}, { $set: { "twoFactor.recoveryHashes": recoveryCodes.map(sha256) } });
    return { recoveryCodes };
  }

  /**
   * The password step's outcome for an account with a second factor: a challenge naming the
   * account (`routing`: "<tenantId>.<userId>" or "<adminId>"), good for one code step, 5 minutes.
   */
  async issueChallenge(
    acc: SecondFactorAccount,
    routing: string,
  ): Promise<{ challenge: string; expiresAt: Date }> {
    const challenge = `${routing}.${randomBytes(32).toString("base64url")}`;
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
    await this.update(
      acc,
      {},
      { $set: { twoFactorChallenge: { hash: sha256(challenge), expiresAt } } },
    );
    return { challenge, expiresAt };
  }

  /**
   * The code step. Throws TWO_FACTOR_CHALLENGE_INVALID for a forged, used or expired challenge;
   * returns "wrong" for a wrong code (the challenge stays open: the login limiter bounds guesses)
   * and the kind of code that worked otherwise, closing the challenge.
   */
  async completeChallenge(
    acc: SecondFactorAccount,
    challenge: string,
    code: string,
  ): Promise<"totp" | "recovery" | "wrong"> {
    const doc = await this.read(acc).catch(() => null);
    const open = doc?.twoFactorChallenge;
    const hash = sha256(challenge);
    if (
      !doc ||
      !open ||
      open.hash !== hash ||
      open.expiresAt.getTime() <= Date.now() ||
      !hasTwoFactor(doc)
    )
      throw new TwoFactorRefused(
        "TWO_FACTOR_CHALLENGE_INVALID",
        "This sign-in has expired; enter your email and password again",
      );
    const used = await this.useCode(acc, doc, code);
    if (!used) return "wrong";
    const closed = await this.update(
      acc,
      { "twoFactorChallenge.hash": hash },
      { $set: { twoFactorChallenge: null } },
    );
    if (closed.modifiedCount !== 1)
      throw new TwoFactorRefused(
        "TWO_FACTOR_CHALLENGE_INVALID",
        "This sign-in has already been completed; sign in again",
      );
    return used;
  }

  /** The time step `code` belongs to within the window, if it is newer than `lastStep`. */
  private acceptedStep(secret: string, code: string, lastStep: number): number | null {
    const normalized = normalizeCode(code);
    if (!TOTP_PATTERN.test(normalized)) return null;
    const delta = totp.checkDelta(normalized, secret);
    if (delta === null) return null;
    const step = Math.floor(Date.now() / STEP_MS) + delta;
    return step > lastStep ? step : null;
  }

  /** Spends a TOTP code (its step, atomically) or a recovery code (its hash, atomically). */
  private async useCode(
    acc: SecondFactorAccount,
    doc: TwoFactorFields,
    code: string,
  ): Promise<"totp" | "recovery" | null> {
    const record = doc.twoFactor;
    if (!record) return null;
    const normalized = normalizeCode(code);
    if (RECOVERY_PATTERN.test(normalized)) {
      const hash = sha256(normalized);
      if (!record.recoveryHashes.includes(hash)) return null;
      const res = await this.update(
        acc,
        { "twoFactor.recoveryHashes": hash },
        { $pull: { "twoFactor.recoveryHashes": hash } },
      );
      return res.modifiedCount === 1 ? "recovery" : null;
    }
    const secret = openText(this.key, acc.owner, record.secretSealed);
    const step = this.acceptedStep(secret, normalized, record.lastStep);
    if (step === null) return null;
    // Two requests with the same code: only one moves lastStep past it.
    const res = await this.update(
      acc,
      { "twoFactor.lastStep": { $lt: step } },
      { $set: { "twoFactor.lastStep": step } },
    );
    return res.modifiedCount === 1 ? "totp" : null;
  }
}

/** The tenant setting "members must use two-factor sign-in" (settings document "tenant"). */
export const orgRequiresTwoFactor = (
  setting: { requireTwoFactor?: boolean | null } | null,
): boolean => setting?.requireTwoFactor === true;
