// Super-admin accounts (control DB). A separate identity from tenant users.
import { Types } from "mongoose";
import { z } from "zod";

import type { AuditLog } from "./audit-log";
import { SYSTEM_ACTOR } from "./audit-log";
import type { AdminDoc, AdminSessionDoc, AuditActor, ControlModels } from "./control-models";
import { AdminNotFound, InvalidInput } from "./errors";
import type { PasswordHasher } from "./password-hashing";
import { checkPassword } from "./policy-checks";
import type { SessionStore } from "./session-store";
import { sessionStore } from "./session-store";
import type { SessionFamilies } from "./session-families";
import { sessionFamilies } from "./session-families";
import { normalizeEmail } from "./tenant-directory";
import type { SecondFactorAccount } from "./two-factor";
import { hasTwoFactor } from "./two-factor";

export interface AdminAccount {
  id: string;
  email: string;
  name: string;
  status: "active" | "disabled";
  lastLoginAt: Date | null;
  createdAt: Date;
  /** A confirmed second factor: without one, an admin may only enrol (two-factor.ts). */
  twoFactorEnabled: boolean;
}

function toAccount(doc: AdminDoc): AdminAccount {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    name: doc.name,
    status: doc.status,
    lastLoginAt: doc.lastLoginAt ?? null,
    createdAt: doc.createdAt,
    twoFactorEnabled: hasTwoFactor(doc),
  };
}

/** Super-admin sessions (control `adminSessions`): what rotation needs, plus starting one. */
export interface AdminSessions extends SessionStore<AdminSessionDoc> {
  start(input: {
    adminId: string;
    tokenHash: string;
    familyId: string;
    expiresAt: Date;
    userAgent: string | null;
    ip: string | null;
  }): Promise<void>;
}

const createSchema = z.object({
  email: z.string(),
  name: z.string().trim().min(1).max(100),
  password: z.string(),
});

export class AdminAccounts {
  /** Verifying against this when the email is unknown keeps timing from revealing accounts. */
  private dummyHash: Promise<string> | null = null;
  readonly sessions: AdminSessions;
  /** The admin's own sign-ins as listed on their session page (list, end one, end the others). */
  readonly families: SessionFamilies;

  constructor(
    private readonly models: ControlModels,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLog,
  ) {
    this.sessions = {
      ...sessionStore(models.AdminSession),
      async start(input) {
        await models.AdminSession.create({ ...input, adminId: new Types.ObjectId(input.adminId) });
      },
    };
    this.families = sessionFamilies(models.AdminSession, "adminId");
  }

  /** Refuses a password the one policy refuses (WeakPassword) and a taken email; audited as `admin.created`. */
  async create(
    input: { email: string; name: string; password: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<AdminAccount> {
    const parsed = createSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidInput(
        "Invalid admin",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      );
    }
    const email = normalizeEmail(parsed.data.email);
    checkPassword(parsed.data.password, email, "Admin");
    const passwordHash = await this.hasher.hash(parsed.data.password);
    try {
      const doc = await this.models.Admin.create({ email, name: parsed.data.name, passwordHash });
      const account = toAccount(doc.toObject());
      await this.audit.record({ actor, action: "admin.created", target: account.email });
      return account;
    } catch (err) {
      if ((err as { code?: number }).code === 11000)
        throw new InvalidInput(`Admin ${email} already exists`);
      throw err;
    }
  }

  /** Whether any super admin exists. */
  async any(): Promise<boolean> {
    return Boolean(await this.models.Admin.exists({}));
  }

  /** The first admin from configuration: created only while there is none (races end in "exists"). */
  async createFirst(input: {
    email: string;
    name: string;
    password: string;
  }): Promise<"created" | "exists"> {
    if (await this.any()) return "exists";
    try {
      await this.create(input);
      return "created";
    } catch (err) {
      // Another instance created it at the same moment: fine.
      if (err instanceof InvalidInput && (await this.any())) return "exists";
      throw err;
    }
  }

  /**
   * The admin if the password matches an active account, else null (an unknown email costs the same
   * time as a wrong password). A success is audited as `admin.login`, from `ip` when given.
   */
  async authenticate(
    email: string,
    password: string,
    from: { ip?: string | null } = {},
  ): Promise<AdminAccount | null> {
    let normalized: string;
    try {
      normalized = normalizeEmail(email);
    } catch {
      return null;
    }
    const doc = await this.models.Admin.findOne({ email: normalized }).lean<AdminDoc>();
    if (!doc) {
      this.dummyHash ??= this.hasher.hash("not-a-real-password");
      await this.hasher.verify(await this.dummyHash, password);
      return null;
    }
    const ok = await this.hasher.verify(doc.passwordHash, password);
    if (!ok || doc.status !== "active") return null;
    await this.models.Admin.updateOne({ _id: doc._id }, { $set: { lastLoginAt: new Date() } });
    const account = toAccount(doc);
    await this.audit.record({
      actor: { type: "admin", id: account.id, email: account.email, ip: from.ip ?? null },
      action: "admin.login",
    });
    return account;
  }

  /**
   * Disables a super admin: they can no longer sign in, every session of theirs ends at once (the
   * admin guard re-reads the account on each call) and refreshes are refused. The last active
   * super admin cannot be disabled: someone must be able to run the platform. Audited as
   * `admin.disabled`; disabling a disabled account changes nothing.
   */
  async disable(email: string, actor: AuditActor = SYSTEM_ACTOR): Promise<AdminAccount> {
    let normalized: string;
    try {
      normalized = normalizeEmail(email);
    } catch {
      throw new AdminNotFound(email);
    }
    const doc = await this.models.Admin.findOne({ email: normalized }).lean<AdminDoc>();
    if (!doc) throw new AdminNotFound(normalized);
    if (doc.status === "disabled") return toAccount(doc);
    const others = await this.models.Admin.countDocuments({
      status: "active",
      _id: { $ne: doc._id },
    });
    if (others === 0) throw new InvalidInput("The last active super admin cannot be disabled");
    const updated = await this.models.Admin.findOneAndUpdate(
      { _id: doc._id },
      { $set: { status: "disabled" } },
      { returnDocument: "after" },
    ).lean<AdminDoc>();
    const now = new Date();
    const ended = await this.models.AdminSession.updateMany(
      { adminId: doc._id, revokedAt: null },
      { $set: { revokedAt: now } },
    );
    await this.audit.record({
      actor,
      action: "admin.disabled",
      target: normalized,
      details: { sessionsEnded: ended.modifiedCount },
    });
    return toAccount(updated ?? { ...doc, status: "disabled" });
  }

  /** The admin's record as two-factor.ts reads and writes it (control `admins`). */
  secondFactorAccount(admin: Pick<AdminAccount, "id" | "email">): SecondFactorAccount {
    return {
      model: this.models.Admin as unknown as SecondFactorAccount["model"],
      id: new Types.ObjectId(admin.id),
      owner: `admin:${admin.id}`,
      label: admin.email,
    };
  }

  /**
   * Removes a super admin's second factor (lost phone and recovery codes): their next sign-in
   * asks them to set up a new one before anything else. Operators run it from the CLI, on the
   * databases directly. Audited as `admin.twoFactor.reset`.
   */
  async resetTwoFactor(email: string, actor: AuditActor = SYSTEM_ACTOR): Promise<AdminAccount> {
    let normalized: string;
    try {
      normalized = normalizeEmail(email);
    } catch {
      throw new AdminNotFound(email);
    }
    const doc = await this.models.Admin.findOneAndUpdate(
      { email: normalized },
      { $set: { twoFactor: null, twoFactorPending: null, twoFactorChallenge: null } },
      { returnDocument: "after" },
    ).lean<AdminDoc>();
    if (!doc) throw new AdminNotFound(normalized);
    await this.audit.record({ actor, action: "admin.twoFactor.reset", target: normalized });
    return toAccount(doc);
  }

  /** Every super admin, oldest first (a platform has a handful). */
  async list(): Promise<AdminAccount[]> {
    const docs = await this.models.Admin.find({}).sort({ _id: 1 }).lean<AdminDoc[]>();
    return docs.map(toAccount);
  }

  async get(id: string): Promise<AdminAccount | null> {
    if (!/^[0-9a-f]{24}$/i.test(id)) return null;
    const doc = await this.models.Admin.findById(id).lean<AdminDoc>();
    return doc ? toAccount(doc) : null;
  }
}
