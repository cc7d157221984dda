import { EmptyState, PageHead } from "@tenantry/ui";
import type { ReactNode } from "react";
import { callOrRedirect } from "~/server/caller";

/**
 * A page only owners and admins use: anyone else typing its address reads why and whom to ask,
 * instead of a view whose every call the api refuses.
 */
export async function adminsOnly(
  title: string,
  refusal: string,
  render: (me: { user: { id: string; role: string } }) => ReactNode,
): Promise<ReactNode> {
  const me = await callOrRedirect((c) => c.auth.me());
  if (me.user.role === "owner" || me.user.role === "admin") return render(me);
  return (
    <>
      <PageHead title={title} />
      <div className="card">
        <EmptyState title={refusal}>
          Ask an owner or admin of {me.tenant.name} for access.
        </EmptyState>
      </div>
    </>
  );
}
