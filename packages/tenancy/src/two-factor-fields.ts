// What a user (tenant database) or admin (control database) record stores of its second factor;
// no imports, so the models can name it without depending on the rules (two-factor.ts).
/** The enabled second factor on an account record. */
export interface TwoFactorRecord {
  secretSealed: string;
  enabledAt: Date;
  /** The last time step whose code was accepted: a code works once, and never an older one. */
  lastStep: number;
  /** sha-256 of each unused recovery code. */
  recoveryHashes: string[];
}

/** The fields a user (tenant database) or admin (control database) record carries. */
export interface TwoFactorFields {
  twoFactor?: TwoFactorRecord | null;
  /** An enrolment begun and not yet confirmed with a code: it does not protect anything yet. */
  twoFactorPending?: { secretSealed: string; startedAt: Date } | null;
  /** The open sign-in challenge (one per account; a new password step replaces it). */
  twoFactorChallenge?: { hash: string; expiresAt: Date } | null;
}
