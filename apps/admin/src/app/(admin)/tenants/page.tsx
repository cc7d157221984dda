import type { Metadata } from "next";
import { TenantsTable } from "./tenants-table";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const str = (k: string) => (typeof sp[k] === "string" ? sp[k] : undefined);
  return (
    <TenantsTable
      initial={{
        search: str("search") ?? "",
        status: str("status") ?? "",
        sort: str("sort") ?? "",
        page: Number(str("page") ?? 1) || 1,
      }}
    />
  );
}
