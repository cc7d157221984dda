"use client";
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
import { useEffect, useMemo, useState } from "react";
import { displaySlug } from "~/tenant-slug";
import { api } from "~/trpc/react";

const ACTIONS = [
  "admin.login",
  "tenants.create",
  "tenants.suspend",
  "tenants.resume",
  "tenants.delete",
  "tenants.restore",
  "tenants.purge",
  "tenants.migrate",
  "tenants.migrateAll",
  "tenants.export",
  "clusters.add",
  "impersonate.start",
];
const OBJECT_ID = /^[a-f0-9]{24}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The tenant filter takes what a person knows (slug or name) as well as an id: a slug or name
 * is looked up in the tenants list, and its tenant's id filters the log.
 */
function useTenantFilter(typed: string): { tenantId?: string; error?: string; pending: boolean } {
  const isId = OBJECT_ID.test(typed);
  const lookup = api.tenants.list.useQuery(
    { search: typed, page: 1, limit: 20 },
    { enabled: Boolean(typed) && !isId },
  );
  if (!typed) return { pending: false };
  if (isId) return { tenantId: typed, pending: false };
  if (lookup.isPending) return { pending: true };
  const q = typed.toLowerCase();
  const items = lookup.data?.items ?? [];
  const match =
    items.find((t) => displaySlug(t.slug) === q || t.name.toLowerCase() === q) ??
    (items.length === 1 ? items[0] : undefined);
  return match
    ? { tenantId: match.id, pending: false }
    : { error: "No tenant has that slug or name.", pending: false };
}

export function AuditView({ initialTenantId = "" }: { initialTenantId?: string }) {
  const [action, setAction] = useState("");
  const [tenantId, setTenantId] = useState(initialTenantId);
  const [actor, setActor] = useState("");
  const [typed, setTyped] = useState({ tenantId: initialTenantId, actor: "" });
  // Free-text filters apply once typing pauses, and only when complete.
  useEffect(() => {
    const t = setTimeout(() => setTyped({ tenantId: tenantId.trim(), actor: actor.trim() }), 300);
    return () => clearTimeout(t);
  }, [tenantId, actor]);
  const tenant = useTenantFilter(typed.tenantId);
  const actorError =
    typed.actor && !EMAIL.test(typed.actor) ? "Enter the admin's full email address." : undefined;
  const input = {
    limit: 25,
    ...(action ? { action } : {}),
    ...(tenant.tenantId ? { tenantId: tenant.tenantId } : {}),
    ...(typed.actor && !actorError ? { actor: typed.actor.toLowerCase() } : {}),
  };
  const list = api.audit.list.useInfiniteQuery(input, {
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // An unknown tenant shows its error, not the unfiltered log.
    enabled: !tenant.pending && !tenant.error,
  });
  const entries = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const filtered = Boolean(action || tenantId || actor);

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
          label="Tenant"
          placeholder="slug, name or ID"
          value={tenantId}
          onChange={(e) => setTenantId(e.target.value)}
          error={tenant.error}
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
              setTenantId("");
              setActor("");
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      {tenant.error ? null : list.isPending ? (
        <Loading label="Loading audit log…" />
      ) : list.isError ? (
        <ErrorState message={describeApiError(list.error).message} />
      ) : entries.length === 0 ? (
        <div className="card">
          <EmptyState title={filtered ? "No entries match" : "No entries yet"} />
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Tenant</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td data-label="When" style={{ whiteSpace: "nowrap" }}>
                    {new Date(e.at).toLocaleString("en-GB")}
                  </td>
                  <td data-label="Actor">{e.actor.email ?? e.actor.type}</td>
                  <td data-label="Action" className="mono">
                    {e.action}
                  </td>
                  <td data-label="Tenant">
                    {e.tenantSlug ? (
                      <button
                        type="button"
                        className="tag"
                        onClick={() => e.tenantId && setTenantId(e.tenantId)}
                        aria-label={`Filter by tenant ${displaySlug(e.tenantSlug)}`}
                      >
                        {displaySlug(e.tenantSlug)}
                      </button>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td
                    data-label="Details"
                    className="small muted"
                    style={{ overflowWrap: "anywhere" }}
                  >
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
