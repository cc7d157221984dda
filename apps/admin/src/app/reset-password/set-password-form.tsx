"use client";
import { useMutation } from "@tanstack/react-query";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import { ResetPasswordForm } from "@tenantry/ui";
import { useTRPC } from "~/trpc/react";

export function SetPasswordForm() {
  const trpc = useTRPC();
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  return (
    <ResetPasswordForm
      reset={(token, password) => reset.mutateAsync({ token, password })}
      passwordProblem={(password) => passwordWeakness(password)}
    />
  );
}
