import { EmptyState, PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const me = await callOrRedirect((c) => c.auth.me());
  if (me.user.role !== "owner" && me.user.role !== "admin") {
    return (
      <>
        <PageHead title="Members" />
        <div className="card">
          <EmptyState title="Only admins manage members">
            Ask an owner or admin of {me.tenant.name} for access.
          </EmptyState>
        </div>
      </>
    );
  }
  return <MembersView myUserId={me.user.id} myRole={me.user.role} />;
}
