import type { Metadata } from "next";
import Link from "next/link";
import { getCaller } from "~/server/caller";
import { serverError } from "@tenantry/next-kit/server";

export const metadata: Metadata = { title: "Organisation suspended" };
export const dynamic = "force-dynamic";

type Status =
  { state: "suspended"; reason?: string | undefined } | { state: "active" } | { state: "unknown" };

async function tenantStatus(): Promise<Status> {
  try {
    const caller = await getCaller();
    await caller.health.tenant();
    return { state: "active" };
  } catch (err) {
    const info = serverError(err);
    if (info.reason === "TENANT_SUSPENDED")
      return { state: "suspended", reason: info.suspendedReason };
    return { state: "unknown" };
  }
}

export default async function SuspendedPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const status = await tenantStatus();
  const hintedReason = typeof sp.reason === "string" ? sp.reason : undefined;
  if (status.state === "active") {
    return (
      <div className="status-page">
        <div className="card">
          <div
            className="status-icon"
            style={{ background: "var(--success-soft)", color: "var(--success)" }}
            aria-hidden
          >
            ✓
          </div>
          <h1>Your organisation is active</h1>
          <p className="muted">Access has been restored.</p>
          <Link className="btn btn-primary" href="/">
            Go to the dashboard
          </Link>
        </div>
      </div>
    );
  }
  const reason = status.state === "suspended" ? (status.reason ?? hintedReason) : hintedReason;
  return (
    <div className="status-page">
      <div className="card" data-testid="suspended-page">
        <div
          className="status-icon"
          style={{ background: "var(--warning-soft)", color: "var(--warning)" }}
          aria-hidden
        >
          !
        </div>
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
        <div className="row">
          <Link className="btn" href="/login">
            Back to sign in
          </Link>
          <Link className="btn btn-ghost" href="/suspended">
            Check again
          </Link>
        </div>
      </div>
    </div>
  );
}
