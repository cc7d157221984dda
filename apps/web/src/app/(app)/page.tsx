import { EmptyState, PageHead, Stat } from "@tenantry/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { callOrRedirect } from "~/server/caller";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const [me, recent] = await Promise.all([
    callOrRedirect((c) => c.auth.me()),
    callOrRedirect((c) => c.notes.list({ limit: 5 })),
  ]);
  const firstName = (me.user.name ?? me.user.email).split(" ")[0];
  return (
    <>
      <PageHead
        title={`Welcome, ${firstName}`}
        subtitle={
          <>
            You are working in <strong>{me.tenant.name}</strong>.
          </>
        }
        actions={
          <Link className="btn btn-primary" href="/notes?new=1">
            New note
          </Link>
        }
      />
      <div className="grid grid-3" style={{ marginBottom: 16 }}>
        <Stat label="Organisation" value={me.tenant.name} />
        <Stat label="Your role" value={me.user.role} testId="dashboard-role" />
        <Stat label="Organisations" value={me.memberships.length} />
      </div>
      <section className="card" aria-labelledby="recent-notes">
        <div className="card-head">
          <h2 id="recent-notes">Recent notes</h2>
          <Link href="/notes">All notes →</Link>
        </div>
        {recent.items.length === 0 ? (
          <EmptyState
            title="No notes yet"
            action={
              <Link className="btn btn-primary" href="/notes?new=1">
                Write the first note
              </Link>
            }
          >
            Notes you and your colleagues write appear here.
          </EmptyState>
        ) : (
          <ul className="note-list" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {recent.items.map((n) => (
              <li key={n.id} className="note">
                <h3>{n.title}</h3>
                <div className="meta">
                  {n.tags.map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
                  <span>{new Date(n.updatedAt).toLocaleString("en-GB")}</span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
