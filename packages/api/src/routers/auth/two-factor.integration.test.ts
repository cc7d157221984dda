// Two-factor sign-in over real HTTP: enrolment (QR code, manual key, first code, recovery codes),
// the code step of sign-in (wrong, replayed, recovery, forged and expired challenges), throttling
// of wrong codes through the login limiter, an organisation that requires it, and super admins
// held to enrolment before any privileged action.
import { randomBytes } from "node:crypto";

import { totpCode } from "@tenantry/test-kit";
import { Types } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance, TenantFixture } from "../../../test/api-harness";
import {
  OWNER_PASSWORD,
  adminClient,
  appClient,
  failure,
  signedIn,
  startHarness,
  startInstance,
} from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;
let globex: TenantFixture;
const anon = () => appClient(h.url);
const RATE = { windowMs: 60_000, maxFailuresPerEmail: 10, maxFailuresPerIp: 1000 };

beforeAll(async () => {
  h = await startHarness({ rateLimit: RATE });
  [acme, globex] = await Promise.all([h.tenant("tfa-acme"), h.tenant("tfa-globex")]);
});
afterAll(async () => h?.stop());

/** Enrols the client's member: begin, then confirm with the current code; returns key and codes. */
async function enrol(client: ReturnType<typeof appClient>) {
  const begun = await client.auth.twoFactor.begin.mutate();
  const { recoveryCodes } = await client.auth.twoFactor.confirm.mutate({
    code: totpCode(begun.manualKey),
  });
  return { key: begun.manualKey, recoveryCodes, begun };
}

async function passwordStep(email: string, password = OWNER_PASSWORD) {
  const res = await anon().auth.login.mutate({ email, password });
  if (res.status !== "secondFactor") throw new Error(`expected a challenge, got ${res.status}`);
  return res;
}

describe("tenant two-factor sign-in", () => {
  it("enrols with a QR code and manual key, takes effect only once a code confirms it", async () => {
    const owner = acme.client;
    expect(await owner.auth.twoFactor.status.query()).toMatchObject({
      enabled: false,
      pending: false,
    });
    const begun = await owner.auth.twoFactor.begin.mutate();
    expect(begun.manualKey).toMatch(/^[A-Z2-7]{32}$/);
    expect(begun.otpauthUri).toContain(`secret=${begun.manualKey}`);
    expect(begun.otpauthUri).toContain(encodeURIComponent(acme.ownerEmail));
    expect(begun.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await owner.auth.twoFactor.status.query()).pending).toBe(true);
    // Pending: the password alone still signs in.
    const before = await anon().auth.login.mutate({
      email: acme.ownerEmail,
      password: OWNER_PASSWORD,
    });
    expect(before.status).toBe("ok");

    const wrong = await failure(owner.auth.twoFactor.confirm.mutate({ code: "000000" }));
    expect([wrong.httpStatus, wrong.reason]).toEqual([400, "TWO_FACTOR_CODE_INVALID"]);
    const { recoveryCodes } = await owner.auth.twoFactor.confirm.mutate({
      code: totpCode(begun.manualKey),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await owner.auth.twoFactor.status.query()).toMatchObject({
      enabled: true,
      recoveryCodesLeft: 10,
    });
    // A second enrolment over a live one is refused.
    expect((await failure(owner.auth.twoFactor.begin.mutate())).reason).toBe(
      "TWO_FACTOR_ALREADY_ENABLED",
    );

    // Stored on the user record in the tenant's own database: sealed secret, hashed codes.
    const stored = await h.tenancy.withTenant(acme.id, (scope) =>
      scope.models.User.findOne({ email: acme.ownerEmail }).lean(),
    );
    const raw = JSON.stringify(stored);
    expect(stored?.twoFactor?.secretSealed).toMatch(/^v1\./);
    expect(raw).not.toContain(begun.manualKey);
    for (const c of recoveryCodes) expect(raw).not.toContain(c);

    // The password step now returns a challenge, no tokens; the code step finishes sign-in.
    const step = await passwordStep(acme.ownerEmail);
    expect(step).not.toHaveProperty("accessToken");
    expect(step.challenge).toMatch(new RegExp(`^${acme.id}\\.[a-f0-9]{24}\\.`));
    const bad = await failure(
      anon().auth.loginSecondFactor.mutate({ challenge: step.challenge, code: "123456" }),
    );
    expect([bad.httpStatus, bad.reason]).toEqual([401, "TWO_FACTOR_CODE_INVALID"]);
    const code = totpCode(begun.manualKey, 1);
    const done = await anon().auth.loginSecondFactor.mutate({ challenge: step.challenge, code });
    expect(done.status).toBe("ok");
    const me = await appClient(h.url, done.accessToken ?? "").auth.me.query();
    expect(me.user.email).toBe(acme.ownerEmail);
    expect(me.twoFactor).toEqual({ enabled: true, mustEnrol: false });

    // The challenge worked once.
    expect(
      (await failure(anon().auth.loginSecondFactor.mutate({ challenge: step.challenge, code })))
        .reason,
    ).toBe("TWO_FACTOR_CHALLENGE_INVALID");
    // The same code, with a fresh challenge, within the same step: refused (replay).
    const again = await passwordStep(acme.ownerEmail);
    expect(
      (await failure(anon().auth.loginSecondFactor.mutate({ challenge: again.challenge, code })))
        .reason,
    ).toBe("TWO_FACTOR_CODE_INVALID");

    // A recovery code works once (typed in lower case, even), then never again.
    const recovery = recoveryCodes[0] as string;
    const viaRecovery = await anon().auth.loginSecondFactor.mutate({
      challenge: again.challenge,
      code: recovery.toLowerCase(),
    });
    expect(viaRecovery.status).toBe("ok");
    expect((await owner.auth.twoFactor.status.query()).recoveryCodesLeft).toBe(9);
    const third = await passwordStep(acme.ownerEmail);
    expect(
      (
        await failure(
          anon().auth.loginSecondFactor.mutate({ challenge: third.challenge, code: recovery }),
        )
      ).reason,
    ).toBe("TWO_FACTOR_CODE_INVALID");

    // Turning it off takes the password or a code; a wrong one is refused.
    expect(
      (await failure(owner.auth.twoFactor.disable.mutate({ password: "Not-The-Password-1!" })))
        .reason,
    ).toBe("TWO_FACTOR_CODE_INVALID");
    await owner.auth.twoFactor.disable.mutate({ password: OWNER_PASSWORD });
    const after = await anon().auth.login.mutate({
      email: acme.ownerEmail,
      password: OWNER_PASSWORD,
    });
    expect(after.status).toBe("ok");
  });

  it("refuses forged, foreign and expired challenges", async () => {
    const member = { email: "forge@tfa-acme.test", password: "Anvil-Strike-2026-ok!" };
    await acme.client.members.create.mutate({ ...member, name: "Forge", role: "member" });
    const login = await signedIn(anon().auth.login.mutate(member));
    const { key } = await enrol(appClient(h.url, login.accessToken ?? ""));
    const step = await passwordStep(member.email, member.password);
    const [tenantId, userId] = step.challenge.split(".");
    const forged = [
      "garbage",
      `${tenantId}.${userId}.${randomBytes(32).toString("base64url")}`,
      `${globex.id}.${userId}.${step.challenge.split(".")[2]}`,
      `${new Types.ObjectId().toHexString()}.${userId}.${randomBytes(32).toString("base64url")}`,
    ];
    for (const challenge of forged) {
      const f = await failure(
        anon().auth.loginSecondFactor.mutate({ challenge, code: totpCode(key, 1) }),
      );
      expect([challenge, f.httpStatus, f.reason]).toEqual([
        challenge,
        401,
        "TWO_FACTOR_CHALLENGE_INVALID",
      ]);
    }
    // Expired: five minutes have passed (moved in the tenant database).
    await h.tenancy.withTenant(acme.id, (scope) =>
      scope.models.User.updateOne(
        { email: member.email },
        { $set: { "twoFactorChallenge.expiresAt": new Date(Date.now() - 1000) } },
      ),
    );
    expect(
      (
        await failure(
          anon().auth.loginSecondFactor.mutate({
            challenge: step.challenge,
            code: totpCode(key, 1),
          }),
        )
      ).reason,
    ).toBe("TWO_FACTOR_CHALLENGE_INVALID");
  });

  it("counts wrong codes as failed sign-ins: the limiter locks out the code and the password step", async () => {
    const member = { email: "guess@tfa-acme.test", password: "Riddle-Maze-2026-ok!" };
    await acme.client.members.create.mutate({ ...member, name: "Guess", role: "member" });
    const login = await signedIn(anon().auth.login.mutate(member));
    const { key } = await enrol(appClient(h.url, login.accessToken ?? ""));
    const step = await passwordStep(member.email, member.password);
    for (let i = 0; i < RATE.maxFailuresPerEmail; i++) {
      const f = await failure(
        anon().auth.loginSecondFactor.mutate({
          challenge: step.challenge,
          code: String(100000 + i),
        }),
      );
      expect(f.reason).toBe("TWO_FACTOR_CODE_INVALID");
    }
    const locked = await failure(
      anon().auth.loginSecondFactor.mutate({ challenge: step.challenge, code: totpCode(key, 1) }),
    );
    expect([locked.httpStatus, locked.reason]).toEqual([429, "RATE_LIMITED"]);
    expect(Number(locked.data.retryAfterSeconds)).toBeGreaterThan(0);
    expect((await failure(anon().auth.login.mutate(member))).reason).toBe("RATE_LIMITED");
  });

  it("an organisation that requires it lets a member without one only enrol", async () => {
    const owner = globex.client;
    const member = { email: "plain@tfa-globex.test", password: "Meadow-Lark-2026-ok!" };
    await owner.members.create.mutate({ ...member, name: "Plain", role: "member" });
    const memberLogin = await signedIn(anon().auth.login.mutate(member));
    const memberClient = appClient(h.url, memberLogin.accessToken ?? "");
    await memberClient.settings.get.query();

    const updated = await owner.settings.update.mutate({ requireTwoFactor: true });
    expect(updated.requireTwoFactor).toBe(true);
    // The owner has no second factor either: held too, from their next call.
    for (const call of [
      () => owner.members.list.query(),
      () => owner.settings.get.query(),
      () => memberClient.settings.get.query(),
      () => memberClient.auth.sessions.query(),
    ]) {
      const refused = await failure(call());
      expect([refused.httpStatus, refused.reason]).toEqual([403, "TWO_FACTOR_REQUIRED"]);
    }
    // Who they are and the enrolment stay open.
    const me = await memberClient.auth.me.query();
    expect(me.twoFactor).toEqual({ enabled: false, mustEnrol: true });
    expect((await memberClient.auth.twoFactor.status.query()).mustEnrol).toBe(true);
    await enrol(memberClient);
    await memberClient.settings.get.query();
    expect((await memberClient.auth.me.query()).twoFactor.mustEnrol).toBe(false);
    // The owner enrols too, then may turn the requirement off again.
    expect((await failure(owner.members.list.query())).reason).toBe("TWO_FACTOR_REQUIRED");
    await enrol(owner);
    await owner.members.list.query();
    expect((await owner.settings.update.mutate({ requireTwoFactor: false })).requireTwoFactor).toBe(
      false,
    );
  });
});

describe("switching organisation", () => {
  it("cannot enter an account with a second factor by a switch, with or without its password", async () => {
    const both = { email: "both@tfa.test", password: "Twofold-Path-2026-ok!" };
    await acme.client.members.create.mutate({ ...both, name: "Both", role: "member" });
    await globex.client.members.create.mutate({ ...both, name: "Both", role: "member" });
    const inGlobex = await signedIn(
      anon().auth.login.mutate({ ...both, tenantSlug: "tfa-globex" }),
    );
    await enrol(appClient(h.url, inGlobex.accessToken ?? ""));
    const inAcme = await signedIn(anon().auth.login.mutate({ ...both, tenantSlug: "tfa-acme" }));
    const fromAcme = appClient(h.url, inAcme.accessToken ?? "");
    // The switcher tells them to sign in there with their code…
    const orgs = await fromAcme.auth.organisations.query();
    expect(orgs.find((o) => o.slug === "tfa-globex")?.access).toBe("signIn");
    // …and neither a one-click switch nor one with the password gets past the second factor.
    for (const password of [undefined, both.password]) {
      const refused = await failure(
        fromAcme.auth.switchTenant.mutate({
          tenantSlug: "tfa-globex",
          ...(password ? { password } : {}),
        }),
      );
      expect([refused.httpStatus, refused.reason]).toEqual([403, "SECOND_FACTOR_SIGN_IN"]);
      expect(refused.message).toMatch(/sign in to that organisation with your code/);
    }
    // The session they came from is still theirs.
    expect((await fromAcme.auth.me.query()).tenant.slug).toBe("tfa-acme");
  });
});

describe("super admin two-factor sign-in", () => {
  let strict: Instance;
  beforeAll(async () => {
    // A second instance on the same control database, with the admin requirement on.
    strict = await startInstance(h.uri, h.controlDbName, {
      adminTwoFactor: "required",
      rateLimit: RATE,
    });
  });
  afterAll(async () => strict?.close());

  it("refuses every privileged action until the admin has enrolled; then signs in with a code", async () => {
    const ops = { email: "ops-2fa@tenantry.test", password: "0ps-Admin-Passw0rd!" };
    await h.admin.admins.create.mutate({ ...ops, name: "Ops" });
    const first = await signedIn(adminClient(strict.url).auth.login.mutate(ops));
    const admin = adminClient(strict.url, first.accessToken ?? "");
    for (const call of [
      () => admin.tenants.list.query({}),
      () => admin.admins.list.query(),
      () => admin.auth.sessions.query(),
    ]) {
      const refused = await failure(call());
      expect([refused.httpStatus, refused.reason]).toEqual([403, "TWO_FACTOR_REQUIRED"]);
    }
    expect((await admin.auth.me.query()).twoFactor).toEqual({ enabled: false, mustEnrol: true });

    const begun = await admin.auth.twoFactor.begin.mutate();
    expect(begun.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const { recoveryCodes } = await admin.auth.twoFactor.confirm.mutate({
      code: totpCode(begun.manualKey),
    });
    expect(recoveryCodes).toHaveLength(10);
    await admin.tenants.list.query({});
    // Stored on the admin's record in the control database, sealed.
    const raw = JSON.stringify(await h.tenancy.admins.list());
    expect(raw).not.toContain(begun.manualKey);

    const step = await adminClient(strict.url).auth.login.mutate(ops);
    if (step.status !== "secondFactor") throw new Error("expected a challenge");
    expect(step).not.toHaveProperty("accessToken");
    expect(
      (
        await failure(
          adminClient(strict.url).auth.loginSecondFactor.mutate({
            challenge: step.challenge,
            code: "654321",
          }),
        )
      ).reason,
    ).toBe("TWO_FACTOR_CODE_INVALID");
    const done = await adminClient(strict.url).auth.loginSecondFactor.mutate({
      challenge: step.challenge,
      code: totpCode(begun.manualKey, 1),
    });
    await adminClient(strict.url, done.accessToken ?? "").tenants.list.query({});
    expect(
      (
        await failure(
          adminClient(strict.url).auth.loginSecondFactor.mutate({
            challenge: `${new Types.ObjectId().toHexString()}.${randomBytes(32).toString("base64url")}`,
            code: totpCode(begun.manualKey, 1),
          }),
        )
      ).reason,
    ).toBe("TWO_FACTOR_CHALLENGE_INVALID");
  });
});
