"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "@tenantry/ui";
import { useRouter } from "next/navigation";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

/** Owners and admins: members must sign in with a second factor (those without one enrol first). */
export function RequireTwoFactorSetting({ required }: { required: boolean }) {
  const trpc = useTRPC();
  const toast = useToast();
  const router = useRouter();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.settings.update.mutationOptions());

  const toggle = async (requireTwoFactor: boolean) => {
    try {
      await update.mutateAsync({ requireTwoFactor });
      await queryClient.invalidateQueries(trpc.settings.get.pathFilter());
      toast.success(
        requireTwoFactor
          ? "Two-factor sign-in is now required of every member."
          : "Two-factor sign-in is no longer required.",
      );
      // Someone without it is now held on the set-up page: the next render sends them there.
      router.refresh();
    } catch (err) {
      toast.error(describeError(err).message);
    }
  };

  return (
    <section className="card form" style={{ maxWidth: 560 }} aria-labelledby="security-h">
      <h2 id="security-h">Security</h2>
      <label className="row" style={{ gap: 8, alignItems: "flex-start" }}>
        <input
          type="checkbox"
          checked={required}
          disabled={update.isPending}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        <span>
          <strong>Require two-factor sign-in</strong>
          <br />
          <span className="muted small">
            Every member signs in with a code from an authenticator app. Members without one (you
            included) must set it up before they can do anything else.
          </span>
        </span>
      </label>
    </section>
  );
}
