import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNext } from "@tenantry/ui/safe-next";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  // A refused next= leaves the address bar too, so nothing later can follow it.
  if (sp.next !== undefined && safeNext(sp.next, null) === null) redirect("/login");
  return (
    <div className="auth-wrap">
      <div className="card auth-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            T
          </span>{" "}
          Tenantry Admin
        </div>
        <h1>Platform sign in</h1>
        <p className="muted">For platform super admins only.</p>
        <LoginForm next={safeNext(sp.next)} />
      </div>
    </div>
  );
}
