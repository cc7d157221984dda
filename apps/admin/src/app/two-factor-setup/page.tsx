import { AuthCard } from "@tenantry/ui";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { callOrRedirect } from "~/server/caller";
import { SetupTwoFactor } from "./setup-two-factor";

export const metadata: Metadata = { title: "Set up two-factor sign-in" };
export const dynamic = "force-dynamic";

// Outside the (admin) layout: every admin page is refused until this set-up is done.
export default async function TwoFactorSetupPage() {
  const me = await callOrRedirect((c) => c.auth.me());
  if (!me.twoFactor.mustEnrol) redirect("/tenants");
  return (
    <AuthCard
      brand="Tenantry Admin"
      title="Set up two-factor sign-in"
      intro="Super admins sign in with a code from an authenticator app. Set it up before anything else."
    >
      <SetupTwoFactor />
    </AuthCard>
  );
}
