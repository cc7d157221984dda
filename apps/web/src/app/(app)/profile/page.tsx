import { PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { LeaveOrganisation } from "./leave-organisation";
import { PasswordForm } from "./password-form";
import { SessionsList } from "./sessions-list";
import { TwoFactorSection } from "./two-factor-section";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const me = await callOrRedirect((c) => c.auth.me());
  return (
    <>
      <PageHead title="Profile" subtitle="Your account in this organisation." />
      <div className="grid grid-2">
        <section className="card" aria-labelledby="account-h">
          <h2 id="account-h">Account</h2>
          <dl className="kv">
            <dt>Name</dt>
            <dd>{me.user.name ?? "—"}</dd>
            <dt>Email</dt>
            <dd>{me.user.email}</dd>
            <dt>Role</dt>
            <dd>{me.user.role}</dd>
            <dt>Organisation</dt>
            <dd>{me.tenant.name}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="pw-h">
          <h2 id="pw-h">Change password</h2>
          <PasswordForm />
        </section>
      </div>
      <section className="card" aria-labelledby="two-factor-h">
        <h2 id="two-factor-h">Two-factor authentication</h2>
        <TwoFactorSection />
      </section>
      <section className="card" aria-labelledby="sessions-h">
        <h2 id="sessions-h">Sessions</h2>
        <p className="muted">Where you are signed in. End any session you do not recognise.</p>
        <SessionsList />
      </section>
      <section className="card" aria-labelledby="leave-h">
        <h2 id="leave-h">Leave organisation</h2>
        <p className="muted">
          Your account in {me.tenant.name} is removed and you are signed out everywhere. The last
          owner must transfer ownership first.
        </p>
        <LeaveOrganisation organisation={me.tenant.name} />
      </section>
    </>
  );
}
