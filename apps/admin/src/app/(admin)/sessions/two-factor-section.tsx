"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TwoFactorPanel } from "@tenantry/ui";
import { useTRPC } from "~/trpc/react";

/** The super admin's own two-factor sign-in: set up with a QR code, recovery codes once, turn off. */
export function TwoFactorSection({ onEnrolled }: { onEnrolled?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.auth.twoFactor.status.queryOptions());
  const begin = useMutation(trpc.auth.twoFactor.begin.mutationOptions());
  const confirm = useMutation(trpc.auth.twoFactor.confirm.mutationOptions());
  const disable = useMutation(trpc.auth.twoFactor.disable.mutationOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.auth.twoFactor.pathFilter());
  return (
    <TwoFactorPanel
      status={status.data}
      begin={() => begin.mutateAsync()}
      confirm={(code) => confirm.mutateAsync({ code })}
      disable={(proof) => disable.mutateAsync(proof)}
      onEnrolled={() => {
        void refresh();
        onEnrolled?.();
      }}
      onDisabled={() => void refresh()}
    />
  );
}
