import type { ReactNode } from "react";
import { callOrRedirect } from "~/server/caller";
import { AdminShell } from "./admin-shell";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const me = await callOrRedirect((c) => c.auth.me());
  return <AdminShell email={me.admin.email}>{children}</AdminShell>;
}
