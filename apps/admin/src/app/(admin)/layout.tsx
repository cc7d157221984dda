import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { callOrRedirect } from "~/server/caller";
import { AdminShell } from "./admin-shell";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const me = await callOrRedirect((c) => c.auth.me());
  // No second factor yet: nothing else is open to them (the api refuses it too).
  if (me.twoFactor.mustEnrol) redirect("/two-factor-setup");
  return <AdminShell email={me.admin.email}>{children}</AdminShell>;
}
