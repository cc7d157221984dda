import { EmptyState, PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { AuditView } from "./audit-view";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const me = await callOrRedirect((c) => c.auth.me());
  if (me.user.role !== "owner" && me.user.role !== "admin") {
    return (
      <>
        <PageHead title="Audit log" />
        <div className="card">
          <EmptyState title="Only admins read the audit log">
            Ask an owner or admin of {me.tenant.name} for access.
          </EmptyState>
        </div>
      </>
    );
  }
  return <AuditView />;
}
