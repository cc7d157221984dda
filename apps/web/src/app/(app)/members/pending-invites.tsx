"use client";
// The invitations not yet accepted, with until when each link works: resend mails a fresh link
// (the old one stops working), revoke withdraws it (the person stays invited until re-sent or the
// invitation is cancelled in the table above).
import { useMutation, useQuery } from "@tanstack/react-query";
import { Badge, ConfirmDialog, useToast } from "@tenantry/ui";
import { useState } from "react";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

const when = (d: Date | string) =>
  new Date(d).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

const STATE_LABEL = {
  pending: "link sent",
  expired: "link expired",
  revoked: "link revoked",
  none: "no link",
} as const;

export function PendingInvites({
  myRole,
  onChanged,
}: {
  myRole: string;
  onChanged: () => Promise<void>;
}) {
  const toast = useToast();
  const trpc = useTRPC();
  const pending = useQuery(trpc.members.pendingInvites.queryOptions());
  const [revoking, setRevoking] = useState<{ id: string; email: string } | null>(null);
  const onError = (err: unknown) => toast.error(describeError(err).message);
  const resend = useMutation(
    trpc.members.resendInvite.mutationOptions({
      onSuccess: async (data) => {
        if (data.emailed)
          toast.success(
            `A new invitation is on its way to ${data.member.email}; the earlier link no longer works.`,
          );
        else toast.error(`A new link was made but no email could be sent to ${data.member.email}.`);
        await onChanged();
      },
      onError,
    }),
  );
  const revoke = useMutation(
    trpc.members.revokeInvite.mutationOptions({
      onSuccess: async (data) => {
        toast.success(`The invitation link of ${data.member.email} no longer works.`);
        setRevoking(null);
        await onChanged();
      },
      onError,
    }),
  );

  const items = pending.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="pending-invites-title" style={{ marginTop: 24 }}>
      <h2 id="pending-invites-title">Pending invitations</h2>
      <div className="table-wrap">
        <table className="table table-cards" data-testid="pending-invites">
          <thead>
            <tr>
              <th scope="col">Invited</th>
              <th scope="col">Link</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ member, state, expiresAt, invitedBy }) => (
              <tr key={member.id} data-testid="pending-invite">
                <td>
                  <div>
                    <strong>{member.email}</strong>{" "}
                    <span className="muted small">({member.role})</span>
                  </div>
                  {invitedBy ? <div className="muted small">Invited by {invitedBy}</div> : null}
                </td>
                <td data-label="Link" data-testid="invite-expiry">
                  <Badge tone={state === "pending" ? "info" : "deactivated"}>
                    {STATE_LABEL[state]}
                  </Badge>{" "}
                  {expiresAt
                    ? state === "expired"
                      ? `expired ${when(expiresAt)}`
                      : state === "pending"
                        ? `works until ${when(expiresAt)}`
                        : null
                    : null}
                </td>
                <td>
                  {/* Only an owner may re-invite an owner. */}
                  {member.role === "owner" && myRole !== "owner" ? null : (
                    <div className="row" style={{ justifyContent: "flex-end" }}>
                      <button
                        type="button"
                        className="btn btn-sm"
                        disabled={resend.isPending}
                        onClick={() => resend.mutate({ userId: member.id })}
                        aria-label={`Resend the invitation to ${member.email}`}
                      >
                        Resend
                      </button>
                      {state === "pending" ? (
                        <button
                          type="button"
                          className="btn btn-sm btn-ghost"
                          onClick={() => setRevoking({ id: member.id, email: member.email })}
                          aria-label={`Revoke the invitation link of ${member.email}`}
                        >
                          Revoke
                        </button>
                      ) : null}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke invitation link?"
        message={
          <>
            The link sent to {revoking?.email} stops working. They stay invited: resend to give them
            a new link, or cancel the invitation in the members table.
          </>
        }
        confirmLabel="Revoke link"
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ userId: revoking.id })}
      />
    </section>
  );
}
