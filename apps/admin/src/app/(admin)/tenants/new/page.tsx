import { PageHead } from "@tenantry/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { CreateTenantForm } from "./create-tenant-form";

export const metadata: Metadata = { title: "Create tenant" };

export default function NewTenantPage() {
  return (
    <>
      <PageHead
        title="Create tenant"
        subtitle="Provisions a database, runs migrations and creates the owner account."
        actions={
          <Link className="btn" href="/tenants">
            Back to tenants
          </Link>
        }
      />
      <CreateTenantForm />
    </>
  );
}
