"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import {
  Badge,
  EmptyState,
  ErrorState,
  LoadMore,
  Loading,
  PageHead,
  SelectField,
  auditDetails,
} from "@tenantry/ui";
import { useMemo, useState } from "react";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

const PAGE_SIZE = 20;

/** Each action the api records in an organisation's log, as a person would say it. */
const ACTIONS: Record<string, string> = {
  "auth.login": "Signed in",
  "auth.changePassword": "Changed their password",
  "auth.switchedIn": "Switched in from another organisation",
  "auth.switchedOut": "Switched to another organisation",
  "auth.twoFactor.enabled": "Turned on two-factor sign-in",
  "auth.twoFactor.disabled": "Turned off two-factor sign-in",
  "auth.twoFactor.recoveryCodesRenewed": "Renewed their recovery codes",
  "notes.create": "Created a note",
  "notes.update": "Edited a note",
  "notes.delete": "Deleted a note",
  "members.create": "Added a member",
  "members.invite": "Invited a member",
  "members.acceptInvite": "Accepted an invitation",
  "members.changeRole": "Changed a member's role",
  "members.deactivate": "Deactivated a member",
  "members.reactivate": "Reactivated a member",
  "members.remove": "Removed a member",
  "members.inviteResent": "Re-sent an invitation",
  "members.inviteRevoked": "Revoked an invitation",
  "members.leave": "Left the organisation",
  "members.transferOwnership": "Transferred ownership",
  "auth.endSession": "Ended one of their sessions",
  "auth.endOtherSessions": "Ended their other sessions",
  "settings.update": "Changed the settings",
  "webhooks.create": "Added a webhook endpoint",
  "webhooks.enable": "Enabled a webhook endpoint",
  "webhooks.disable": "Disabled a webhook endpoint",
  "webhooks.replay": "Replayed a webhook delivery",
  "impersonation.start": "A platform admin signed in as this person",
};

export function AuditView() {
  const trpc = useTRPC();
  const [action, setAction] = useState("");
  const list = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { limit: PAGE_SIZE, ...(action ? { action } : {}) },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const entries = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  return (
    <>
      <PageHead title="Audit log" subtitle="Who did what in this organisation, newest first." />
      <div className="toolbar" role="search">
        <SelectField label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">All actions</option>
          {Object.entries(ACTIONS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      {list.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : list.isError ? (
        <ErrorState message={describeError(list.error).message} />
      ) : entries.length === 0 ? (
        <div className="card">
          <EmptyState title={action ? "No entries for this action" : "Nothing recorded yet"} />
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td data-label="When">{new Date(e.at).toLocaleString("en-GB")}</td>
                  <td data-label="Who">
                    <div>
                      {e.actor.type === "apiKey"
                        ? `API key ${e.actor.name ?? e.actor.id ?? ""}`
                        : (e.actor.email ?? "—")}
                    </div>
                    {e.impersonatedBy ? (
                      <Badge tone="warn">impersonated by {e.impersonatedBy}</Badge>
                    ) : null}
                  </td>
                  <td data-label="What">{ACTIONS[e.action] ?? e.action}</td>
                  <td data-label="Details" className="small">
                    {auditDetails(e.details)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore shown={entries.length} list={list} />
    </>
  );
}
