"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { MenuItem } from "@tenantry/ui";
import { DropdownMenu, useToast } from "@tenantry/ui";
import { useRouter } from "next/navigation";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

type Access =
  | "current"
  | "direct"
  | "password"
  | "signIn"
  | "suspended"
  | "deleted"
  | "pending"
  | "unavailable";

const HINTS: Record<Access, string | null> = {
  current: "You are here",
  direct: null,
  password: "Asks for its password",
  // Choosing it tells how: sign out, then sign in there with the code (SECOND_FACTOR_SIGN_IN).
  signIn: "Sign in there with your code",
  suspended: "Suspended",
  deleted: "Deleted",
  pending: "Invitation not accepted yet",
  unavailable: "Not available now",
};

/** The header's organisation switcher: every organisation of this email, one click to switch. */
export function OrgSwitcher({ current }: { current: { name: string; slug: string } }) {
  const trpc = useTRPC();
  const toast = useToast();
  const router = useRouter();
  const orgs = useQuery(trpc.auth.organisations.queryOptions());
  const sw = useMutation(trpc.auth.switchTenant.mutationOptions());
  const passwordPage = (slug: string) =>
    router.push(`/switch-tenant?org=${encodeURIComponent(slug)}`);

  async function switchTo(slug: string) {
    try {
      await sw.mutateAsync({ tenantSlug: slug });
      // The new organisation's session cookies are set: a full load so every page sees them.
      window.location.assign("/");
    } catch (err) {
      const info = describeError(err);
      // The organisation started asking for its own password since the list was loaded.
      if (info.reason === "PASSWORD_REQUIRED") return passwordPage(slug);
      toast.error(info.message);
    }
  }

  const items: MenuItem[] = (
    orgs.data ?? [{ ...current, role: "", access: "current" as const }]
  ).map((o) => ({
    key: o.slug,
    label: o.name,
    hint: HINTS[o.access],
    current: o.access === "current",
    disabled: sw.isPending || !["direct", "password", "signIn"].includes(o.access),
    onSelect: () => (o.access === "password" ? passwordPage(o.slug) : void switchTo(o.slug)),
  }));
  return (
    <DropdownMenu
      label={`Organisation: ${current.name}. Switch organisation`}
      heading="Your organisations"
      trigger={<span>{current.name}</span>}
      items={items}
      busy={sw.isPending || orgs.isPending}
      testId="org-switcher"
    />
  );
}
