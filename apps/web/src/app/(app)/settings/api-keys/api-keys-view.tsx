"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Badge,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  Loading,
  PageHead,
  useToast,
} from "@tenantry/ui";
import { describeError } from "~/api-error";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { CreateKeyDialog } from "./create-key-dialog";

const when = (d: Date | string | null) =>
  d ? new Date(d).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "—";

function statusOf(k: { revokedAt: Date | null; expiresAt: Date | null }) {
  if (k.revokedAt) return { tone: "deactivated" as const, label: "revoked" };
  if (k.expiresAt && new Date(k.expiresAt) <= new Date())
    return { tone: "deactivated" as const, label: "expired" };
  return { tone: "active" as const, label: "active" };
}

export function ApiKeysView() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const list = useQuery(trpc.keys.list.queryOptions());
  const scopes = useQuery(trpc.keys.scopes.queryOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.keys.list.pathFilter());
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: async ({ key }) => {
        toast.success(`${key.name} is revoked; programs using it are refused from now on.`);
        setRevoking(null);
        await refresh();
      },
      onError: (err) => toast.error(describeError(err).message),
    }),
  );
  const keys = list.data?.items ?? [];

  return (
    <>
      <PageHead
        title="API keys"
        subtitle="Keys let programs call this organisation's API as a service account, within the scopes you choose."
        actions={
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setCreating(true)}
            disabled={!scopes.data}
          >
            Create key
          </button>
        }
      />
      {list.isPending ? (
        <Loading label="Loading API keys…" />
      ) : list.isError ? (
        <ErrorState message={describeError(list.error).message} />
      ) : keys.length === 0 ? (
        <div className="card">
          <EmptyState title="No API keys yet">
            Create one for each program that calls the API, so each can be revoked alone.
          </EmptyState>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="keys-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Status</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const status = statusOf(k);
                return (
                  <tr key={k.id} data-testid="key-row">
                    <td>
                      <strong>{k.name}</strong>
                      <div className="muted small">
                        created {when(k.createdAt)} by {k.createdBy}
                        {k.expiresAt ? ` · expires ${when(k.expiresAt)}` : ""}
                      </div>
                    </td>
                    <td data-label="Scopes">{k.scopes.join(", ")}</td>
                    <td data-label="Status">
                      <Badge tone={status.tone}>{status.label}</Badge>
                    </td>
                    <td data-label="Last used">
                      {when(k.lastUsedAt)}
                      {k.lastUsedIp ? <div className="muted small">from {k.lastUsedIp}</div> : null}
                    </td>
                    <td>
                      {k.revokedAt ? null : (
                        <button
                          type="button"
                          className="btn btn-sm btn-ghost"
                          onClick={() => setRevoking({ id: k.id, name: k.name })}
                          aria-label={`Revoke ${k.name}`}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {creating && scopes.data ? (
        <CreateKeyDialog
          scopes={scopes.data.scopes}
          onClose={() => setCreating(false)}
          onCreated={refresh}
        />
      ) : null}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? "key"}?`}
        message="Every program using this key is refused within a second. This can't be undone."
        confirmLabel="Revoke key"
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ keyId: revoking.id })}
      />
    </>
  );
}
