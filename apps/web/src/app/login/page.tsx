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
          Tenantry
        </div>
        <h1>Sign in</h1>
        <p className="muted">Sign in to your organisation&apos;s workspace.</p>
        {sp.left === "1" ? (
          <p role="status" className="alert alert-ok">
            You have left the organisation and were signed out.
          </p>
        ) : null}
        <LoginForm
          next={safeNext(sp.next)}
          initialTenant={typeof sp.tenant === "string" ? sp.tenant : undefined}
        />
        <p className="small">
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      </div>
    </div>
  );
}
