import type { Metadata } from "next";
import { RefreshForm } from "@tenantry/ui";

export const metadata: Metadata = { title: "Signing you in" };
export const dynamic = "force-dynamic";

/**
 * Where pages send a visitor whose access token is missing or expired. Rotating the refresh token
 * changes state, so it happens on a POST (/api/session/refresh) that this page submits at once;
 * a link or an <img> on another site can open this page but cannot rotate anything.
 */
export default async function RefreshPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next } = await searchParams;
  return <RefreshForm next={typeof next === "string" ? next : "/"} />;
}
