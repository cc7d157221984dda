import type { Metadata } from "next";
import Link from "next/link";
import { safeNext } from "@tenantry/ui/safe-next";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
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
        <p className="small">
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      </div>
    </div>
  );
}
