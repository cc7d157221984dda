"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Badge,
  ConfirmDialog,
  ErrorState,
  Loading,
  PageHead,
  Stat,
  describeApiError,
  formatBytes,
  useToast,
} from "@tenantry/ui";
import Link from "next/link";
import { useState } from "react";
import { displaySlug } from "~/tenant-slug";
import { useTRPC } from "~/trpc/react";
import { ImpersonateDialog } from "./impersonate-dialog";
import { MembersCard } from "./members-card";
import { OwnerResetDialog } from "./owner-reset-dialog";
import { PlanCard } from "./plan-card";
import { RenameDialog } from "./rename-dialog";
import { SuspendDialog } from "./suspend-dialog";
import { UsageCard } from "./usage-card";

/** The admin's reason as one sentence: a closing full stop added only when it has none. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

type Dialog =
  | null
  | "suspend"
  | "resume"
  | "delete"
  | "restore"
  | "purge"
  | "impersonate"
  | "ownerReset"
  | "rename";

export function TenantDetail({ id, webUrl }: { id: string; webUrl: string }) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const tenant = useQuery(trpc.tenants.get.queryOptions({ id }));
  const [dialog, setDialog] = useState<Dialog>(null);
  const done = (msg: string) => async () => {
    toast.success(msg);
    setDialog(null);
    await Promise.all([
      queryClient.invalidateQueries(trpc.tenants.get.queryFilter({ id })),
      queryClient.invalidateQueries(trpc.tenants.list.pathFilter()),
      queryClient.invalidateQueries(trpc.tenants.members.pathFilter()),
    ]);
  };
  const onError = (err: unknown) => toast.error(describeApiError(err).message);
  const resume = useMutation(
    trpc.tenants.resume.mutationOptions({ onSuccess: done("Tenant resumed."), onError }),
  );
  const del = useMutation(
    trpc.tenants.delete.mutationOptions({
      onSuccess: done("Tenant deleted. It can be restored during the grace period."),
      onError,
    }),
  );
  const restore = useMutation(
    trpc.tenants.restore.mutationOptions({ onSuccess: done("Tenant restored."), onError }),
  );
  const purge = useMutation(
    trpc.tenants.purge.mutationOptions({
      onSuccess: done("Tenant purged: its database was dropped."),
      onError,
    }),
  );
  const migrate = useMutation(
    trpc.tenants.migrate.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Migrations done: schema version ${r.tenant.schemaVersion}.`);
        await queryClient.invalidateQueries(trpc.tenants.get.queryFilter({ id }));
      },
      onError,
    }),
  );

  if (tenant.isPending) return <Loading label="Loading tenant…" />;
  if (tenant.isError) {
    return (
      <>
        <PageHead
          title="Tenant"
          actions={
            <Link className="btn" href="/tenants">
              Back to tenants
            </Link>
          }
        />
        <ErrorState
          title={
            tenant.error.data?.code === "NOT_FOUND"
              ? "Tenant not found"
              : "Could not load the tenant"
          }
          message={describeApiError(tenant.error).message}
        />
      </>
    );
  }
  const t = tenant.data;
  const s = t.stats;
  const isDeleted = t.status === "deleted";
  const isPurged = t.status === "purged";

  return (
    <>
      <PageHead
        title={t.name}
        subtitle={
          <>
            <span className="mono">{displaySlug(t.slug)}</span> ·{" "}
            <Badge tone={t.status}>{t.status}</Badge>
          </>
        }
        actions={
          <Link className="btn" href="/tenants">
            Back to tenants
          </Link>
        }
      />
      {t.status === "suspended" ? (
        <div
          className="alert alert-warn"
          style={{ marginBottom: 16 }}
          data-testid="suspended-alert"
        >
          <strong>Suspended</strong>
          {t.statusReason ? <>: {sentence(t.statusReason)}</> : "."} Its users cannot sign in or use
          the app.
        </div>
      ) : null}
      {isDeleted ? (
        <div className="alert alert-danger" style={{ marginBottom: 16 }}>
          Deleted. Restore it to bring it back, or purge it to drop its database for good.
        </div>
      ) : null}

      <div className="grid grid-4" style={{ marginBottom: 16 }} aria-label="Statistics">
        <Stat label="Users" value={s?.users ?? "—"} testId="stat-users" />
        <Stat label="Notes" value={s?.notes ?? "—"} testId="stat-notes" />
        <Stat label="Storage" value={formatBytes(s?.storageBytes)} />
        <Stat
          label="Connection"
          value={t.leasedNow ? `${t.leasedNow} leased` : t.cached ? "cached" : "idle"}
        />
      </div>

      <div className="grid grid-2">
        <section className="card" aria-labelledby="details-h">
          <h2 id="details-h">Details</h2>
          <dl className="kv">
            <dt>ID</dt>
            <dd className="mono">{t.id}</dd>
            <dt>Database</dt>
            <dd className="mono">{t.dbName}</dd>
            <dt>Cluster</dt>
            <dd>{t.cluster}</dd>
            <dt>Plan</dt>
            <dd>{t.plan ?? "—"}</dd>
            <dt>Schema version</dt>
            <dd>{t.schemaVersion}</dd>
            <dt>Created</dt>
            <dd>{new Date(t.createdAt).toLocaleString("en-GB")}</dd>
            <dt>Last activity</dt>
            <dd>{s?.lastActivityAt ? new Date(s.lastActivityAt).toLocaleString("en-GB") : "—"}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="actions-h">
          <h2 id="actions-h">Actions</h2>
          <div className="stack">
            {!isDeleted && !isPurged ? (
              <div className="row">
                {t.status === "suspended" ? (
                  <button
                    type="button"
                    className="btn btn-primary"
                    onClick={() => setDialog("resume")}
                  >
                    Resume tenant
                  </button>
                ) : (
                  <button type="button" className="btn" onClick={() => setDialog("suspend")}>
                    Suspend tenant
                  </button>
                )}
                <button
                  type="button"
                  className="btn"
                  onClick={() => migrate.mutate({ id })}
                  disabled={migrate.isPending}
                >
                  {migrate.isPending ? <span className="spinner" aria-hidden /> : null}
                  Run migrations
                </button>
                <a className="btn" href={`/api/tenants/${encodeURIComponent(id)}/export`} download>
                  Export archive
                </a>
                <button
                  type="button"
                  className="btn"
                  onClick={() => setDialog("impersonate")}
                  disabled={t.status !== "active"}
                >
                  Impersonate a user
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() => setDialog("ownerReset")}
                  disabled={t.status !== "active"}
                >
                  Send owner a reset link
                </button>
              </div>
            ) : null}
            <div className="row">
              {!isPurged ? (
                <button type="button" className="btn" onClick={() => setDialog("rename")}>
                  Rename…
                </button>
              ) : null}
              {isDeleted ? (
                <>
                  <button
                    type="button"
                    className="btn btn-primary"
                    onClick={() => setDialog("restore")}
                  >
                    Restore
                  </button>
                  <button
                    type="button"
                    className="btn btn-danger"
                    onClick={() => setDialog("purge")}
                  >
                    Purge…
                  </button>
                </>
              ) : !isPurged ? (
                <button
                  type="button"
                  className="btn btn-danger"
                  onClick={() => setDialog("delete")}
                >
                  Delete…
                </button>
              ) : (
                <p className="muted">
                  Purged: the database is gone; the audit log keeps the receipt.
                </p>
              )}
            </div>
          </div>
        </section>
      </div>

      <MembersCard tenantId={id} />
      {!isPurged ? (
        <PlanCard
          // Remounts with the saved values after a change.
          key={`${t.plan}:${JSON.stringify(t.planLimits)}`}
          tenantId={id}
          plan={t.plan}
          limits={t.planLimits}
          onSaved={() => queryClient.invalidateQueries(trpc.tenants.get.queryFilter({ id }))}
        />
      ) : null}
      <UsageCard tenantId={id} />

      <SuspendDialog
        open={dialog === "suspend"}
        tenantId={id}
        slug={t.slug}
        onClose={() => setDialog(null)}
        onDone={done("Tenant suspended.")}
      />
      <ConfirmDialog
        open={dialog === "resume"}
        title="Resume tenant?"
        message={<>Users of {t.name} can sign in again at once.</>}
        confirmLabel="Resume"
        busy={resume.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => resume.mutate({ id })}
      />
      <ConfirmDialog
        open={dialog === "delete"}
        title="Delete tenant?"
        message={
          <>{t.name} stops working immediately. It can be restored during the grace period.</>
        }
        confirmLabel="Delete tenant"
        danger
        typedConfirmation={t.slug}
        busy={del.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => del.mutate({ id })}
      />
      <ConfirmDialog
        open={dialog === "restore"}
        title="Restore tenant?"
        message={<>{t.name} returns with all of its data.</>}
        confirmLabel="Restore"
        typedConfirmation={t.slug}
        busy={restore.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => restore.mutate({ id })}
      />
      <ConfirmDialog
        open={dialog === "purge"}
        title="Purge tenant permanently?"
        message={
          <>
            This drops the database of {t.name}. <strong>It cannot be undone.</strong>
          </>
        }
        confirmLabel="Purge forever"
        danger
        typedConfirmation={t.slug}
        busy={purge.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => purge.mutate({ id, confirmSlug: t.slug })}
      />
      <OwnerResetDialog
        open={dialog === "ownerReset"}
        tenantId={id}
        slug={t.slug}
        onClose={() => setDialog(null)}
        onSent={async (emails) => {
          toast.success(`A reset link is on its way to ${emails.join(", ")}.`);
          setDialog(null);
        }}
      />
      {dialog === "rename" ? (
        <RenameDialog
          tenantId={id}
          name={t.name}
          onClose={() => setDialog(null)}
          onDone={(name) => done(`Organisation renamed to ${name}.`)()}
        />
      ) : null}
      {dialog === "impersonate" ? (
        <ImpersonateDialog tenantId={id} webUrl={webUrl} onClose={() => setDialog(null)} />
      ) : null}
    </>
  );
}
