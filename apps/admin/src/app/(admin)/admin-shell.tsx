"use client";
import { useMutation } from "@tanstack/react-query";
import { AppShell, describeApiError, useToast } from "@tenantry/ui";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useTRPC } from "~/trpc/react";

const LINKS = [
  { href: "/tenants", label: "Tenants" },
  { href: "/clusters", label: "Clusters" },
  { href: "/webhooks", label: "Webhooks" },
  { href: "/system", label: "System" },
  { href: "/audit", label: "Audit log" },
  { href: "/admins", label: "Admins" },
  { href: "/sessions", label: "My sessions" },
];

export function AdminShell({ email, children }: { email: string; children: ReactNode }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const toast = useToast();
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  async function signOut() {
    try {
      await logout.mutateAsync();
    } catch (err) {
      toast.error(describeApiError(err).message);
    }
    window.location.assign("/login");
  }
  return (
    <AppShell
      brand="Tenantry Admin"
      brandSub="Platform"
      nav={LINKS.map((l) => (
        <Link
          key={l.href}
          href={l.href}
          aria-current={pathname.startsWith(l.href) ? "page" : undefined}
        >
          {l.label}
        </Link>
      ))}
      footer={
        <div className="stack" style={{ gap: 6 }}>
          <div>
            <div className="who" data-testid="current-admin">
              {email}
            </div>
            <div className="muted">super admin</div>
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
      {children}
    </AppShell>
  );
}
