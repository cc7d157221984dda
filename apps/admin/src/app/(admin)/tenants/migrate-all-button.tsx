"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { describeApiError, useToast } from "@tenantry/ui";
import { useEffect, useState } from "react";
import { useTRPC } from "~/trpc/react";

/** Starts migrations across every tenant and follows the job until it finishes. */
export function MigrateAllButton() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const start = useMutation(
    trpc.tenants.migrateAll.mutationOptions({
      onSuccess: (r) => setJobId(r.jobId),
      onError: (err) => toast.error(describeApiError(err).message),
    }),
  );
  const status = useQuery(
    trpc.tenants.migrationStatus.queryOptions(
      { jobId: jobId ?? "" },
      { enabled: jobId !== null, refetchInterval: (q) => (q.state.data?.done ? false : 1_000) },
    ),
  );
  // total counts only the tenants that were behind the latest schema version.
  const p = (status.data?.progress ?? {}) as {
    done?: number;
    total?: number;
    migrated?: number;
    failed?: unknown[];
    targetVersion?: number;
  };

  useEffect(() => {
    if (!status.data?.done) return;
    // The outcome stays on the page (a toast would vanish before a slow reader sees it).
    if (status.data.error)
      setResult({ ok: false, text: `Migration stopped: ${status.data.error}` });
    else if (!p.total)
      setResult({
        ok: true,
        text: `Migrations finished: every tenant is already at schema version ${p.targetVersion ?? "latest"}.`,
      });
    else
      setResult({
        ok: !p.failed?.length,
        text: `Migrations finished: ${p.migrated ?? 0} of ${p.total} tenants migrated to version ${p.targetVersion ?? "latest"}${p.failed?.length ? `, ${p.failed.length} failed` : ""}.`,
      });
    setJobId(null);
    void queryClient.invalidateQueries(trpc.tenants.list.pathFilter());
    // Report once per finished job.
  }, [status.data?.done]);

  const running = start.isPending || jobId !== null;
  return (
    <>
      <span
        role="status"
        className={`small ${result && !result.ok ? "error" : "muted"}`}
        data-testid="migrate-all-result"
      >
        {running
          ? `Migrating… ${p.total ? `${p.done ?? 0}/${p.total}` : ""}`
          : (result?.text ?? "")}
      </span>
      <button
        type="button"
        className="btn"
        onClick={() => {
          setResult(null);
          start.mutate();
        }}
        disabled={running}
      >
        {running ? <span className="spinner" aria-hidden /> : null}
        Migrate all tenants
      </button>
    </>
  );
}
