"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import {
  EmptyState,
  ErrorState,
  Loading,
  PageHead,
  SelectField,
  TextField,
  auditDetails,
  describeApiError,
} from "@tenantry/ui";
import {
  CONTROL_AUDIT_ACTIONS,
  isValidEmail,
  normalizeEmailText,
} from "@tenantry/tenancy/policies";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "~/trpc/react";

const ACTIONS = CONTROL_AUDIT_ACTIONS;

export function AuditView() {
  const trpc = useTRPC();
  const [action, setAction] = useState("");
  // The organisation as typed: its slug, the start of its name or its id (the api resolves it).
  const [tenant, setTenant] = useState("");
  const [actor, setActor] = useState("");
  const [typed, setTyped] = useState({ tenant: "", actor: "" });
  // Free-text filters apply once typing pauses, and only when complete.
  useEffect(() => {
    const t = setTimeout(() => setTyped({ tenant: tenant.trim(), actor: actor.trim() }), 300);
    return () => clearTimeout(t);
  }, [tenant, actor]);
  const actorError =
    typed.actor && !isValidEmail(normalizeEmailText(typed.actor))
      ? "Enter the admin's full email address."
      : undefined;
  const input = {
    limit: 25,
    ...(action ? { action } : {}),
    ...(typed.tenant ? { tenant: typed.tenant.slice(0, 100) } : {}),
    ...(typed.actor && !actorError ? { actor: typed.actor.toLowerCase() } : {}),
  };
  const list = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  );
  const entries = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const filtered = Boolean(action || tenant || actor);

  return (
    <>
      <PageHead title="Audit log" subtitle="Every admin action on the platform, newest first." />
      <div className="toolbar" role="search">
        <SelectField label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">All actions</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Organisation"
          placeholder="slug, name or ID"
          value={tenant}
          onChange={(e) => setTenant(e.target.value)}
          maxLength={100}
          autoComplete="off"
        />
        <TextField
          label="Actor"
          type="email"
          placeholder="admin email"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          error={actorError}
          autoComplete="off"
        />
        {filtered ? (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setAction("");
              setTenant("");
              setActor("");
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      {list.isPending ? (
        <Loading label="Loading audit log…" />
      ) : list.isError ? (
        <ErrorState message={describeApiError(list.error).message} />
      ) : entries.length === 0 ? (
        <div className="card">
          <EmptyState title={filtered ? "No entries match" : "No entries yet"} />
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Organisation</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td style={{ whiteSpace: "nowrap" }}>{new Date(e.at).toLocaleString("en-GB")}</td>
                  <td>{e.actor.email ?? e.actor.type}</td>
                  <td className="mono">{e.action}</td>
                  <td>
                    {e.tenantSlug ? (
                      <button
                        type="button"
                        className="tag"
                        // The slug, as a person would type it (a purged tenant's old slug works too).
                        onClick={() => setTenant(e.tenantSlug ?? "")}
                        aria-label={`Filter by organisation ${e.tenantSlug}`}
                      >
                        {e.tenantSlug}
                      </button>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="small muted" style={{ overflowWrap: "anywhere" }}>
                    {e.target ? <>target {e.target} </> : null}
                    {auditDetails(e.details)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage ? (
        <div className="pagination">
          <button
            type="button"
            className="btn"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            Load more
          </button>
        </div>
      ) : null}
    </>
  );
}
