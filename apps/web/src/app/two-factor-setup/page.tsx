import { AuthCard } from "@tenantry/ui";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { callOrRedirect } from "~/server/caller";
import { SetupTwoFactor } from "./setup-two-factor";

export const metadata: Metadata = { title: "Set up two-factor sign-in" };
export const dynamic = "force-dynamic";

// Outside the (app) layout: that layout's calls are refused until this set-up is done.
export default async function TwoFactorSetupPage() {
  const me = await callOrRedirect((c) => c.auth.me());
  if (!me.twoFactor.mustEnrol) redirect("/");
  return (
    <AuthCard
      brand="Tenantry"
      title="Set up two-factor sign-in"
      intro={`${me.tenant.name} requires a code from an authenticator app when you sign in.`}
    >
      <SetupTwoFactor />
    </AuthCard>
  );
}
