"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog, useToast } from "@tenantry/ui";
import { useState } from "react";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

/** Leave this organisation (the api refuses the last owner); then sign out to the login page. */
export function LeaveOrganisation({ organisation }: { organisation: string }) {
  const trpc = useTRPC();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const leave = useMutation(
    trpc.members.leave.mutationOptions({
      onSuccess: async () => {
        // Leaving already ended every session; this clears this browser's cookies.
        await logout.mutateAsync().catch(() => undefined);
        window.location.assign("/login?left=1");
      },
      onError: (err) => {
        setOpen(false);
        toast.error(describeError(err).message);
      },
    }),
  );
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
        Leave organisation
      </button>
      <ConfirmDialog
        open={open}
        title={`Leave ${organisation}?`}
        message="You will be signed out on every device and lose access to this organisation. An owner or admin can invite you again."
        confirmLabel="Leave organisation"
        danger
        busy={leave.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() => leave.mutate()}
      />
    </>
  );
}
