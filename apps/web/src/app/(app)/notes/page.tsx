import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { NotesView } from "./notes-view";

export const metadata: Metadata = { title: "Notes" };

export default async function NotesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [sp, me] = await Promise.all([searchParams, callOrRedirect((c) => c.auth.me())]);
  return (
    <NotesView
      openNew={sp.new === "1"}
      initialTag={typeof sp.tag === "string" ? sp.tag : ""}
      me={{ id: me.user.id, role: me.user.role }}
    />
  );
}
