"use client";
import { useMutation } from "@tanstack/react-query";
import { AppShell, useToast } from "@tenantry/ui";
import { describeError } from "~/api-error";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useTRPC } from "~/trpc/react";
import { OrgSwitcher } from "./org-switcher";
import { UsageBanner } from "./usage-banner";

interface Props {
  user: { name: string; email: string; role: string };
  tenant: { name: string; slug: string };
  otherTenants: number;
  impersonatedBy: string | null;
  children: ReactNode;
}

export function WebShell({ user, tenant, otherTenants, impersonatedBy, children }: Props) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const toast = useToast();
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const isAdmin = user.role === "owner" || user.role === "admin";
  const links = [
    { href: "/", label: "Dashboard" },
    { href: "/notes", label: "Notes" },
    ...(isAdmin ? [{ href: "/members", label: "Members" }] : []),
    ...(isAdmin ? [{ href: "/settings", label: "Settings" }] : []),
    ...(isAdmin ? [{ href: "/settings/api-keys", label: "API keys" }] : []),
    ...(isAdmin ? [{ href: "/settings/usage", label: "Usage" }] : []),
    ...(user.role === "owner" ? [{ href: "/settings/webhooks", label: "Webhooks" }] : []),
    ...(isAdmin ? [{ href: "/audit", label: "Audit log" }] : []),
    { href: "/profile", label: "Profile" },
  ];
  // The longest matching link is the current one (/settings/api-keys is not also /settings).
  const matches = (href: string) =>
    href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
  const best = links
    .filter((l) => matches(l.href))
    .reduce<string | null>((a, l) => (a && a.length >= l.href.length ? a : l.href), null);
  const current = (href: string) => href === best;

  async function signOut() {
    try {
      await logout.mutateAsync();
    } catch (err) {
      toast.error(describeError(err).message);
    }
    window.location.assign("/login");
  }

  return (
    <AppShell
      brand={tenant.name}
      brandSub={tenant.slug}
      // One organisation (or an impersonation, which stays in it): nothing to switch to.
      brandMenu={otherTenants > 0 && !impersonatedBy ? <OrgSwitcher current={tenant} /> : null}
      banner={
        impersonatedBy ? (
          <div className="banner banner-warn" role="status" data-testid="impersonation-banner">
            <strong>Impersonation:</strong>
            <span>
              {impersonatedBy} is signed in as {user.email}. Every action is recorded in the audit
              log.
            </span>
            <button type="button" className="btn btn-sm" onClick={signOut}>
              End session
            </button>
          </div>
        ) : null
      }
      nav={links.map((l) => (
        <Link key={l.href} href={l.href} aria-current={current(l.href) ? "page" : undefined}>
          {l.label}
        </Link>
      ))}
      footer={
        <div className="stack" style={{ gap: 6 }}>
          <div>
            <div className="who" data-testid="current-user">
              {user.name}
            </div>
            <div className="muted">
              {user.email} · {user.role}
            </div>
          </div>
          <button
            type="button"
            className="btn btn-sm"
            onClick={signOut}
            disabled={logout.isPending}
          >
            Sign out
          </button>
        </div>
      }
    >
      {user.role === "owner" ? <UsageBanner /> : null}
      {children}
    </AppShell>
  );
}
