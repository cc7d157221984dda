"use client";
import { useState } from "react";
import { Badge } from "./states";
import { ConfirmDialog } from "./dialog";
import { useToast } from "./toast";
import type { ApiErrorInfo } from "./api-error";

/** One signed-in device as `auth.sessions` and `admin.auth.sessions` return it. */
export interface SessionRow {
  id: string;
  device: string;
  userAgent: string | null;
  ip: string | null;
  lastUsedAt: Date | string | null;
  current: boolean;
}

const when = (d: Date | string | null) => (d ? new Date(d).toLocaleString() : "—");

/**
 * A person's signed-in devices: end any other one, or all the others (confirmed first). Both apps
 * render this; each passes its own query and calls, and its own wording of the api's refusals.
 */
export function SessionsTable({
  list,
  end,
  endOthers,
  describeError,
}: {
  list: { isPending: boolean; error: unknown; data?: { sessions: SessionRow[] } | undefined };
  /** Ends one other session. */
  end: (sessionId: string) => Promise<unknown>;
  /** Ends every session but this one; resolves to how many ended. */
  endOthers: () => Promise<number>;
  describeError: (err: unknown) => ApiErrorInfo;
}) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [confirmAll, setConfirmAll] = useState(false);
  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      toast.success(await action());
    } catch (err) {
      toast.error(describeError(err).message);
    } finally {
      setBusy(false);
    }
  };
  if (list.isPending) return <p className="muted">Loading sessions…</p>;
  if (!list.data) return <p role="alert">{describeError(list.error).message}</p>;
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
                      disabled={busy}
                      onClick={() => run(async () => (await end(s.id), "Session ended."))}
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
        busy={busy}
        onCancel={() => setConfirmAll(false)}
        onConfirm={() =>
          run(async () => {
            const ended = await endOthers();
            setConfirmAll(false);
            return ended === 1 ? "1 session ended." : `${ended} sessions ended.`;
          })
        }
      />
    </>
  );
}
