"use client";
import { useMutation } from "@tanstack/react-query";
import { ForgotPasswordForm } from "@tenantry/ui";
import { useTRPC } from "~/trpc/react";

export function RequestResetForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  return <ForgotPasswordForm request={(email) => request.mutateAsync({ email })} />;
}
