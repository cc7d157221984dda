import type { Metadata } from "next";
import { AuthCard } from "@tenantry/ui";
import { RequestResetForm } from "./request-reset-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      brand="Tenantry"
      title="Forgot your password?"
      intro="Enter your email and we will send you a link to set a new one."
    >
      <RequestResetForm />
    </AuthCard>
  );
}
