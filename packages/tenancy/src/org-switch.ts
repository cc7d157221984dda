// One account across organisations. A person signed in to organisation A switches to B without
// typing B's password: A's live session proves the email, B admits it when B is active, has an
// active member with that email and does not ask for its own sign-in (`switchRoute`, the one rule,
// which other sign-in factors extend). Nothing is stored for the switch: no assertion, token or
// hash goes to the control database; the directory only says where to look. The caller (the api)
// opens the session in B's own session store and ends A's. Audited in both organisations.
import type { ServiceAccount } from "./api-key-models";
import type { TenantStatus } from "./control-models";
import { ScopeMissing, SwitchRefused } from "./errors";
import type { LoginAttempt } from "./login-throttle";
import type { MemberActor } from "./members";
import { recordTenantAudit } from "./members";
import type { PasswordHasher } from "./password-hashing";
import type { TenantDirectory } from "./tenant-directory";
import { normalizeEmail } from "./tenant-directory";
import type { SettingDoc, UserDoc } from "./tenant-models";
import type { TenantRecord } from "./tenant-registry";
import type { TenantScope } from "./tenancy-runtime";
import { hasTwoFactor } from "./two-factor";

/** The settings document holding the tenant-wide settings (the api's settings router writes it). */
const TENANT_SETTINGS_ID = "tenant";

/** How a proven email may enter a member of another organisation. */
export type SwitchRoute =
  | { kind: "direct" }
  | { kind: "password"; why: "REQUIRE_OWN_SIGN_IN" }
  // A member with a second factor is entered only by a full sign-in with their code: a session in
  // another organisation proves the email, not possession of this account's authenticator.
  | { kind: "signIn"; why: "SECOND_FACTOR" };

/** What the switch rule reads of the target organisation and its member. */
export interface SwitchTarget {
  tenant: TenantRecord;
  settings: Pick<SettingDoc, "requireOwnSignIn"> | null;
  member: UserDoc;
}

/**
 * The rule: may a person whose email is proven by a session in another organisation enter
 * `target.member` without the target's own password? Any further factor of the target (a second
 * factor, an IP rule) belongs here, so the switch, the switcher's hint and joining by invite agree.
 */
export function switchRoute(target: SwitchTarget): SwitchRoute {
  if (hasTwoFactor(target.member)) return { kind: "signIn", why: "SECOND_FACTOR" };
  if (target.settings?.requireOwnSignIn === true)
    return { kind: "password", why: "REQUIRE_OWN_SIGN_IN" };
  return { kind: "direct" };
}

/** The organisation's switch settings (absent document: the defaults). */
export async function switchSettings(
  scope: TenantScope,
): Promise<Pick<SettingDoc, "requireOwnSignIn"> | null> {
  return scope.models.Setting.findById(TENANT_SETTINGS_ID)
    .select({ requireOwnSignIn: 1 })
    .lean<Pick<SettingDoc, "requireOwnSignIn">>();
}

/** The signed-in caller a switch starts from: their organisation (leased) and live member. */
export interface SwitchOrigin {
  scope: TenantScope;
  user: UserDoc;
  impersonatedBy: string | null;
  serviceAccount: ServiceAccount | null;
}

/** Only a person's own session proves an email: not an API key, not a super admin impersonating. */
export function assertPersonSession(from: SwitchOrigin, what: string): void {
  if (from.serviceAccount) throw new ScopeMissing(null, what);
  if (from.impersonatedBy) throw new SwitchRefused("IMPERSONATION_READ_ONLY");
}

/** One entry of the header's switcher. */
export interface OrganisationEntry {
  slug: string;
  name: string;
  role: string;
  /**
   * current: the caller is here; direct: one click; password: asks for its own password;
   * signIn: the member there has a second factor, so only a full sign-in (with the code) enters;
   * suspended / deleted: the organisation is locked; pending: an invitation not yet accepted;
   * unavailable: could not be reached now.
   */
  access:
    | "current"
    | "direct"
    | "password"
    | "signIn"
    | "suspended"
    | "deleted"
    | "pending"
    | "unavailable";
}

export interface SwitchRequest<S> {
  from: SwitchOrigin;
  tenantSlug: string;
  /** Used only when the target asks for its own password. */
  password: string | null;
  /** Counts a password check against the sign-in limits before it runs (refuses when over). */
  beginPasswordAttempt: () => Promise<LoginAttempt>;
  /** Opens the session in the target organisation's own session store. */
  openSession: (scope: TenantScope, member: UserDoc) => Promise<S>;
}

export interface SwitchResult<S> {
  session: S;
  member: UserDoc;
  scope: TenantScope;
  method: "direct" | "password";
}

type WithTenant = <T>(tenantId: string, fn: (scope: TenantScope) => Promise<T>) => Promise<T>;

export class OrgSwitches {
  constructor(
    private readonly deps: {
      directory: TenantDirectory;
      hasher: PasswordHasher;
      withTenant: WithTenant;
    },
  ) {}

  /** Every organisation of the caller's email, the current one first, with how each is entered. */
  async organisations(from: SwitchOrigin): Promise<OrganisationEntry[]> {
    const here = from.scope.tenant;
    const current: OrganisationEntry = {
      slug: here.slug,
      name: here.name,
      role: from.user.role,
      access: "current",
    };
    // An API key has no email; an impersonation stays in its one organisation.
    if (from.serviceAccount || from.impersonatedBy) return [current];
    const email = normalizeEmail(from.user.email);
    const memberships = await this.deps.directory.findByEmail(email);
    const others = await Promise.all(
      memberships
        .filter((m) => m.tenantId !== here.id)
        .map(async (m): Promise<OrganisationEntry> => {
          const base = { slug: m.tenantSlug, name: m.tenantName, role: m.role };
          const locked = lockedStatus(m.tenantStatus);
          if (locked) return { ...base, access: locked };
          try {
            return await this.deps.withTenant(m.tenantId, async (scope) => {
              const member = await scope.models.User.findOne({ email }).lean<UserDoc>();
              if (!member || member.status === "deactivated")
                return { ...base, access: "unavailable" as const };
              if (member.status === "invited") return { ...base, access: "pending" as const };
              const settings = await switchSettings(scope);
              const route = switchRoute({ tenant: scope.tenant, settings, member });
              return { ...base, role: member.role, access: route.kind };
            });
          } catch (err) {
            const code = (err as { code?: unknown }).code;
            if (code === "TENANT_SUSPENDED") return { ...base, access: "suspended" };
            if (code === "TENANT_DELETED") return { ...base, access: "deleted" };
            return { ...base, access: "unavailable" };
          }
        }),
    );
    return [current, ...others];
  }

  /**
   * Enters the caller's member of `tenantSlug`: directly, or with that organisation's password when
   * `switchRoute` asks for it (PASSWORD_REQUIRED without one, INVALID_CREDENTIALS when wrong).
   * Refused for a non-member or a member not active there (NOT_A_MEMBER), a suspended or deleted
   * organisation, an API key and an impersonation. Audited as `auth.switchedIn` in the target
   * (the member as actor) and `auth.switchedOut` in the origin; the caller ends the origin session.
   */
  async switchInto<S>(req: SwitchRequest<S>): Promise<SwitchResult<S>> {
    const { from } = req;
    assertPersonSession(from, "switching organisation");
    const email = normalizeEmail(from.user.email);
    const target = (await this.deps.directory.findByEmail(email)).find(
      (m) => m.tenantSlug === req.tenantSlug && m.tenantId !== from.scope.tenant.id,
    );
    if (!target) throw new SwitchRefused("NOT_A_MEMBER");
    // withTenant refuses a suspended or deleted organisation (TENANT_SUSPENDED / TENANT_DELETED).
    const result = await this.deps.withTenant(target.tenantId, async (scope) => {
      const member = await scope.models.User.findOne({ email }).lean<UserDoc>();
      if (!member || member.status !== "active")
        throw new SwitchRefused(
          "NOT_A_MEMBER",
          member?.status === "invited"
            ? "Accept your invitation to that organisation first."
            : undefined,
        );
      const route = switchRoute({
        tenant: scope.tenant,
        settings: await switchSettings(scope),
        member,
      });
      if (route.kind === "signIn") throw new SwitchRefused("SECOND_FACTOR_SIGN_IN");
      if (route.kind === "password") await this.checkPassword(req, member);
      const session = await req.openSession(scope, member);
      await scope.models.User.updateOne({ _id: member._id }, { $set: { lastLoginAt: new Date() } });
      await recordTenantAudit(scope, { user: member }, "auth.switchedIn", member._id.toString(), {
        from: from.scope.tenant.slug,
        method: route.kind,
      });
      return { session, member, scope, method: route.kind };
    });
    const actor: MemberActor = { user: from.user };
    await recordTenantAudit(from.scope, actor, "auth.switchedOut", from.user._id.toString(), {
      to: result.scope.tenant.slug,
      method: result.method,
    });
    return result;
  }

  private async checkPassword<S>(req: SwitchRequest<S>, member: UserDoc): Promise<void> {
    if (!req.password) throw new SwitchRefused("PASSWORD_REQUIRED");
    const attempt = await req.beginPasswordAttempt();
    // A member who joined with an existing account has no password here until they reset one.
    const ok = member.passwordHash
      ? await this.deps.hasher.verify(member.passwordHash, req.password)
      : false;
    if (!ok) {
      await attempt.failed();
      throw new SwitchRefused("INVALID_CREDENTIALS");
    }
    await attempt.succeeded();
  }
}

function lockedStatus(status: TenantStatus): "suspended" | "deleted" | null {
  if (status === "suspended") return "suspended";
  if (status === "deleted") return "deleted";
  return null;
}
