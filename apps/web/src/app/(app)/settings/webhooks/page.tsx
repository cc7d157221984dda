import { EmptyState, PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { WebhooksView } from "./webhooks-view";

export const metadata: Metadata = { title: "Webhooks" };

/** Owners only (the api refuses everyone else with 403): others read whom to ask. */
export default async function WebhooksPage() {
  const me = await callOrRedirect((c) => c.auth.me());
  if (me.user.role === "owner") return <WebhooksView />;
  return (
    <>
      <PageHead title="Webhooks" />
      <div className="card">
        <EmptyState title="Only owners manage webhooks">
          Ask an owner of {me.tenant.name} for access.
        </EmptyState>
      </div>
    </>
  );
}
