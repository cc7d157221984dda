"use client";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import { ResetPasswordForm } from "@tenantry/ui";
import { api } from "~/trpc/react";

export function SetPasswordForm() {
  const reset = api.auth.resetPassword.useMutation();
  return (
    <ResetPasswordForm
      reset={(token, password) => reset.mutateAsync({ token, password })}
      passwordProblem={(password) => passwordWeakness(password)}
    />
  );
}
