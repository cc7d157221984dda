import { PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { SessionsList } from "./sessions-list";

export const metadata: Metadata = { title: "My sessions" };

export default function SessionsPage() {
  return (
    <>
      <PageHead title="My sessions" subtitle="Where your super-admin account is signed in." />
      <section className="card" aria-labelledby="sessions-h">
        <h2 id="sessions-h">Sessions</h2>
        <SessionsList />
      </section>
    </>
  );
}
