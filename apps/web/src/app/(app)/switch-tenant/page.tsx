import { PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import { callOrRedirect } from "~/server/caller";
import { SwitchTenantForm } from "./switch-tenant-form";

export const metadata: Metadata = { title: "Switch organisation" };

export default async function SwitchTenantPage() {
  const me = await callOrRedirect((c) => c.auth.me());
  const others = me.memberships
    .filter((m) => m.slug !== me.tenant.slug)
    .map((m) => ({ slug: m.slug, name: m.name }));
  return (
    <>
      <PageHead
        title="Switch organisation"
        subtitle={
          <>
            You are in <strong>{me.tenant.name}</strong>.
          </>
        }
      />
      <section className="card" style={{ maxWidth: 560 }}>
        {others.length === 0 ? (
          <p className="muted">Your email belongs to no other organisation.</p>
        ) : (
          <SwitchTenantForm tenants={others} />
        )}
      </section>
    </>
  );
}
