"use client";
import { ForgotPasswordForm } from "@tenantry/ui";
import { api } from "~/trpc/react";

export function RequestResetForm() {
  const request = api.auth.requestPasswordReset.useMutation();
  return <ForgotPasswordForm request={(email) => request.mutateAsync({ email })} />;
}
