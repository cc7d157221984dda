import { PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { SwitchTenantForm } from "./switch-tenant-form";

export const metadata: Metadata = { title: "Switch organisation" };

// The header's switcher comes here for an organisation that asks for its own password.
export default async function SwitchTenantPage({
  searchParams,
}: {
  searchParams: Promise<{ org?: string | string[] }>;
}) {
  const [orgs, { org }] = await Promise.all([
    callOrRedirect((c) => c.auth.organisations()),
    searchParams,
  ]);
  const here = orgs.find((o) => o.access === "current");
  const others = orgs
    .filter((o) => o.access === "password" || o.access === "direct")
    .map((o) => ({ slug: o.slug, name: o.name }));
  const chosen = typeof org === "string" && others.some((o) => o.slug === org) ? org : undefined;
  return (
    <>
      <PageHead
        title="Switch organisation"
        subtitle={
          <>
            You are in <strong>{here?.name}</strong>.
          </>
        }
      />
      <section className="card" style={{ maxWidth: 560 }}>
        {others.length === 0 ? (
          <p className="muted">Your email belongs to no other organisation you can switch to.</p>
        ) : (
          <SwitchTenantForm tenants={others} initial={chosen} />
        )}
      </section>
    </>
  );
}
