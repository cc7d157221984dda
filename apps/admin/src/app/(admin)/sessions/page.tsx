import { PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { SessionsList } from "./sessions-list";
import { TwoFactorSection } from "./two-factor-section";

export const metadata: Metadata = { title: "My sessions" };

export default function SessionsPage() {
  return (
    <>
      <PageHead
        title="My sessions"
        subtitle="Your super-admin account's second factor, and where it is signed in."
      />
      <section className="card" aria-labelledby="two-factor-h">
        <h2 id="two-factor-h">Two-factor authentication</h2>
        <TwoFactorSection />
      </section>
      <section className="card" aria-labelledby="sessions-h">
        <h2 id="sessions-h">Sessions</h2>
        <SessionsList />
      </section>
    </>
  );
}
