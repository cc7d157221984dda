import type { ReactNode } from "react";
import { callOrRedirect } from "~/server/caller";
import { WebShell } from "./web-shell";

// Every signed-in page needs the session, so none of them is prerendered.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const me = await callOrRedirect((c) => c.auth.me());
  return (
    <WebShell
      user={{ name: me.user.name ?? me.user.email, email: me.user.email, role: me.user.role }}
      tenant={{ name: me.tenant.name, slug: me.tenant.slug }}
      otherTenants={me.memberships.filter((m) => m.slug !== me.tenant.slug).length}
      impersonatedBy={me.impersonatedBy?.adminEmail ?? null}
    >
      {children}
    </WebShell>
  );
}
