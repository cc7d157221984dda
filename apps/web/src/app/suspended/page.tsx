import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getCaller } from "~/server/caller";
import { serverError } from "@tenantry/next-kit/server";

export const metadata: Metadata = { title: "Organisation suspended" };
export const dynamic = "force-dynamic";

// What the api says now. A session ended by the suspension still answers "suspended" while the
// organisation is; once it is resumed that session answers "signed out", so the page never
// repeats a suspension it can no longer see.
type Status =
  | { state: "suspended"; reason?: string | undefined }
  | { state: "active" }
  | { state: "signedOut" }
  | { state: "unknown" };

async function tenantStatus(): Promise<Status> {
  try {
    const caller = await getCaller();
    await caller.health.tenant();
    return { state: "active" };
  } catch (err) {
    const info = serverError(err);
    if (info.reason === "TENANT_SUSPENDED")
      return { state: "suspended", reason: info.suspendedReason };
    if (info.code === "UNAUTHORIZED") return { state: "signedOut" };
    return { state: "unknown" };
  }
}

function StatusCard({
  tone,
  icon,
  testId,
  children,
}: {
  tone: "success" | "warning" | "danger" | "accent";
  icon: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="status-page">
      <div className="card" data-testid={testId}>
        <div
          className="status-icon"
          style={{ background: `var(--${tone}-soft)`, color: `var(--${tone})` }}
          aria-hidden
        >
          {icon}
        </div>
        {children}
      </div>
    </div>
  );
}

export default async function SuspendedPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const status = await tenantStatus();
  // The sign-in form sends a refused user here with ?reason= (possibly empty): the api told them
  // a moment ago, with the right password, that the organisation is suspended.
  const fromSignIn = typeof sp.reason === "string";
  const hintedReason = fromSignIn && sp.reason ? (sp.reason as string) : undefined;

  if (status.state === "active") {
    return (
      <StatusCard tone="success" icon="✓" testId="active-page">
        <h1>Your organisation is active</h1>
        <p className="muted">Access has been restored.</p>
        <Link className="btn btn-primary" href="/">
          Go to the dashboard
        </Link>
      </StatusCard>
    );
  }
  if (status.state === "suspended" || fromSignIn) {
    const reason = status.state === "suspended" ? (status.reason ?? hintedReason) : hintedReason;
    return (
      <StatusCard tone="warning" icon="!" testId="suspended-page">
        <h1>This organisation is suspended</h1>
        <p>
          A platform administrator has suspended access to this organisation. Your data is kept safe
          and will be available again as soon as the organisation is reactivated.
        </p>
        {reason ? (
          <div className="alert alert-warn" style={{ marginBottom: 12 }}>
            <strong>Reason:</strong> <span data-testid="suspension-reason">{reason}</span>
          </div>
        ) : null}
        <p className="muted small">
          If you think this is a mistake, contact your organisation&apos;s owner or the platform
          support team.
        </p>
        {status.state === "suspended" ? (
          <div className="row">
            <Link className="btn" href="/login">
              Back to sign in
            </Link>
            <Link className="btn btn-ghost" href="/suspended">
              Check again
            </Link>
          </div>
        ) : (
          <>
            <p className="muted small">Signing in again shows whether access is back.</p>
            <div className="row">
              <Link className="btn btn-primary" href="/login">
                Sign in again
              </Link>
            </div>
          </>
        )}
      </StatusCard>
    );
  }
  if (status.state === "signedOut") {
    return (
      <StatusCard tone="accent" icon="→" testId="signed-out-page">
        <h1>Sign in again</h1>
        <p>
          Your session has ended, so this page cannot tell whether your organisation is still
          suspended. Sign in again: if access is back, you go straight in.
        </p>
        <Link className="btn btn-primary" href="/login">
          Sign in
        </Link>
      </StatusCard>
    );
  }
  return (
    <StatusCard tone="danger" icon="!" testId="status-unknown-page">
      <h1>We could not check your organisation</h1>
      <p className="muted">The service did not answer. Please try again in a moment.</p>
      <div className="row">
        <Link className="btn btn-primary" href="/suspended">
          Check again
        </Link>
        <Link className="btn" href="/login">
          Back to sign in
        </Link>
      </div>
    </StatusCard>
  );
}
