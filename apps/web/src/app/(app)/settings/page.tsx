import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { SettingsView } from "./settings-view";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const me = await callOrRedirect((c) => c.auth.me());
  // Members may look; only owners and admins may change (the api refuses anyone else's save).
  const canEdit = me.user.role === "owner" || me.user.role === "admin";
  return <SettingsView canEdit={canEdit} tenantName={me.tenant.name} />;
}
