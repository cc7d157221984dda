import type { Metadata } from "next";
import { NotesView } from "./notes-view";

export const metadata: Metadata = { title: "Notes" };

export default async function NotesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  return (
    <NotesView openNew={sp.new === "1"} initialTag={typeof sp.tag === "string" ? sp.tag : ""} />
  );
}
