"use client";
import { useQuery } from "@tanstack/react-query";
import { Badge, EmptyState, ErrorState, Loading, describeApiError } from "@tenantry/ui";
import { useTRPC } from "~/trpc/react";

const TONE: Record<string, string> = { invited: "info" };

/** Who owns the organisation and who belongs to it (suspended and deleted ones too). */
export function MembersCard({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const roster = useQuery(trpc.tenants.members.queryOptions({ id: tenantId }));

  return (
    <section className="card" aria-labelledby="members-h" style={{ marginTop: 16 }}>
      <h2 id="members-h">Members</h2>
      {roster.isPending ? (
        <Loading label="Loading members…" />
      ) : roster.isError ? (
        <ErrorState
          title="Could not load the members"
          message={describeApiError(roster.error).message}
        />
      ) : roster.data.unavailable ? (
        <EmptyState title="No members to show">
          {roster.data.unavailable === "purged"
            ? "This organisation was purged: its members went with its database."
            : "This organisation is still being set up."}
        </EmptyState>
      ) : (
        <>
          <p data-testid="tenant-owners">
            <strong>{roster.data.owners.length === 1 ? "Owner" : "Owners"}:</strong>{" "}
            {roster.data.owners.length
              ? roster.data.owners.map((o, i) => (
                  <span key={o.id}>
                    {i ? ", " : null}
                    {o.name} <span className="muted">({o.email})</span>
                    {o.status !== "active" ? <> · {o.status}</> : null}
                  </span>
                ))
              : "none"}
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="tenant-members">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {roster.data.members.map((m) => (
                  <tr key={m.id} data-testid="member-row">
                    <td>{m.name}</td>
                    <td className="mono">{m.email}</td>
                    <td>{m.role}</td>
                    <td>
                      <Badge tone={TONE[m.status] ?? m.status}>{m.status}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {roster.data.total > roster.data.members.length ? (
            <p className="muted small">
              Showing the first {roster.data.members.length} of {roster.data.total} members.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
