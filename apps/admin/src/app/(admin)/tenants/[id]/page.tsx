import type { Metadata } from "next";
import { getEnv } from "~/env";
import { TenantDetail } from "./tenant-detail";

export const metadata: Metadata = { title: "Tenant" };

export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TenantDetail id={id} webUrl={getEnv().WEB_URL} />;
}
