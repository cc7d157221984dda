"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, ConfirmDialog, useToast } from "@tenantry/ui";
import { useState } from "react";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

const when = (d: Date | string | null) => (d ? new Date(d).toLocaleString() : "—");

/** The user's signed-in devices: end any other one, or all the others (confirmed first). */
export function SessionsList() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.auth.sessions.queryOptions());
  const [confirmAll, setConfirmAll] = useState(false);
  const refresh = () => queryClient.invalidateQueries(trpc.auth.sessions.pathFilter());
  const end = useMutation(
    trpc.auth.endSession.mutationOptions({
      onSuccess: async () => {
        toast.success("Session ended.");
        await refresh();
      },
      onError: (err) => toast.error(describeError(err).message),
    }),
  );
  const endOthers = useMutation(
    trpc.auth.endOtherSessions.mutationOptions({
      onSuccess: async ({ ended }) => {
        setConfirmAll(false);
        toast.success(ended === 1 ? "1 session ended." : `${ended} sessions ended.`);
        await refresh();
      },
      onError: (err) => toast.error(describeError(err).message),
    }),
  );
  if (list.isPending) return <p className="muted">Loading sessions…</p>;
  if (list.isError) return <p role="alert">{describeError(list.error).message}</p>;
  const sessions = list.data.sessions;
  const others = sessions.filter((s) => !s.current);
  return (
    <>
      <div className="table-wrap">
        <table className="table" aria-label="Sessions">
          <thead>
            <tr>
              <th>Device</th>
              <th>IP</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-testid="session-row">
                <td title={s.userAgent ?? undefined}>
                  {s.device} {s.current ? <Badge tone="ok">This device</Badge> : null}
                </td>
                <td>{s.ip ?? "—"}</td>
                <td>{when(s.lastUsedAt)}</td>
                <td>
                  {s.current ? null : (
                    <button
                      type="button"
                      className="btn btn-sm"
                      disabled={end.isPending}
                      onClick={() => end.mutate({ sessionId: s.id })}
                    >
                      End
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {others.length > 0 ? (
        <button type="button" className="btn btn-danger" onClick={() => setConfirmAll(true)}>
          End all other sessions
        </button>
      ) : null}
      <ConfirmDialog
        open={confirmAll}
        title="End all other sessions?"
        message={`${others.length} other device(s) will be signed out. This device stays signed in.`}
        confirmLabel="End other sessions"
        danger
        busy={endOthers.isPending}
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => endOthers.mutate()}
      />
    </>
  );
}
