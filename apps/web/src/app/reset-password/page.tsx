import type { Metadata } from "next";
import { AuthCard } from "@tenantry/ui";
import { SetPasswordForm } from "./set-password-form";

export const metadata: Metadata = { title: "Set a new password" };

// The token travels in the URL fragment (`/reset-password#token=…`), which never reaches a server log.
export default function ResetPasswordPage() {
  return (
    <AuthCard
      brand="Tenantry"
      title="Set a new password"
      intro="Setting it ends every session of yours, on every device."
    >
      <SetPasswordForm />
    </AuthCard>
  );
}
