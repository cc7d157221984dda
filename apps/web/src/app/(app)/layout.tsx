import type { ReactNode } from "react";
import { callOrRedirect } from "~/server/caller";
import { WebShell } from "./web-shell";

// Every signed-in page needs the session, so none of them is prerendered.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const [me, settings] = await callOrRedirect((c) => Promise.all([c.auth.me(), c.settings.get()]));
  return (
    <WebShell
      user={{ name: me.user.name ?? me.user.email, email: me.user.email, role: me.user.role }}
      // The display name set in Settings is how the organisation appears to its members.
      tenant={{ name: settings.displayName || me.tenant.name, slug: me.tenant.slug }}
      otherTenants={me.memberships.filter((m) => m.slug !== me.tenant.slug).length}
      impersonatedBy={me.impersonatedBy?.adminEmail ?? null}
    >
      {children}
    </WebShell>
  );
}
