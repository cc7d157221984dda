"use client";
import { useQuery } from "@tanstack/react-query";
import {
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  PageHead,
  SelectField,
  TextField,
  describeApiError,
} from "@tenantry/ui";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { displaySlug } from "~/tenant-slug";
import { useTRPC } from "~/trpc/react";
import { MigrateAllButton } from "./migrate-all-button";

const PAGE_SIZE = 20;
const STATUSES = ["provisioning", "active", "suspended", "deleted", "purged"] as const;
type Status = (typeof STATUSES)[number];
type SortKey = "name" | "slug" | "createdAt" | "status";
type SortParam = "createdAt" | "-createdAt" | "name" | "-name" | "slug" | "-slug" | "status";

interface Query {
  search: string;
  status: string;
  sort: string;
  page: number;
}

export function TenantsTable({ initial }: { initial: Query }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [search, setSearch] = useState(initial.search);
  const [q, setQ] = useState<Query>(initial);

  // Debounce typing; every other change applies at once.
  useEffect(() => {
    const t = setTimeout(
      () =>
        setQ((prev) =>
          prev.search === search.trim() ? prev : { ...prev, search: search.trim(), page: 1 },
        ),
      300,
    );
    return () => clearTimeout(t);
  }, [search]);
  // Keep the URL shareable.
  useEffect(() => {
    const p = new URLSearchParams();
    if (q.search) p.set("search", q.search);
    if (q.status) p.set("status", q.status);
    if (q.sort) p.set("sort", q.sort);
    if (q.page > 1) p.set("page", String(q.page));
    const qs = p.toString();
    // Only when the query changed: a replace to the URL the page already has (on mount, or when
    // the router re-renders) can land after a click on a link and undo that navigation.
    if (qs === new URLSearchParams(window.location.search).toString()) return;
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }, [q, pathname, router]);

  const sortField = (q.sort.replace(/^-/, "") || "createdAt") as SortKey;
  const sortDir: "asc" | "desc" = q.sort ? (q.sort.startsWith("-") ? "desc" : "asc") : "desc";
  const list = useQuery(
    trpc.tenants.list.queryOptions(
      {
        page: q.page,
        limit: PAGE_SIZE,
        sort: (sortDir === "desc" ? `-${sortField}` : sortField) as SortParam,
        ...(q.search ? { search: q.search } : {}),
        ...(q.status ? { status: q.status as Status } : {}),
      },
      { placeholderData: (prev) => prev },
    ),
  );

  function toggleSort(field: SortKey) {
    const nextDir = field !== "status" && sortField === field && sortDir === "asc" ? "desc" : "asc";
    setQ((prev) => ({ ...prev, sort: nextDir === "desc" ? `-${field}` : field, page: 1 }));
  }
  const ariaSort = (field: SortKey) =>
    sortField === field ? (sortDir === "asc" ? "ascending" : "descending") : "none";
  const arrow = (field: SortKey) => (sortField === field ? (sortDir === "asc" ? "▲" : "▼") : "");
  const total = list.data?.total ?? 0;
  const pages = list.data?.pages ?? 1;

  return (
    <>
      <PageHead
        title="Tenants"
        subtitle="Every organisation on the platform, each with its own database."
        actions={
          <>
            <MigrateAllButton />
            <Link className="btn btn-primary" href="/tenants/new">
              Create tenant
            </Link>
          </>
        }
      />
      <div className="toolbar" role="search">
        <TextField
          label="Search"
          type="search"
          placeholder="Name or slug"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          fieldClassName="grow"
        />
        <SelectField
          label="Status"
          value={q.status}
          onChange={(e) => setQ((prev) => ({ ...prev, status: e.target.value, page: 1 }))}
        >
          <option value="">All statuses</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
      </div>
      {list.isPending ? (
        <Loading label="Loading tenants…" />
      ) : list.isError ? (
        <ErrorState
          message={describeApiError(list.error).message}
          action={
            <button className="btn btn-sm" onClick={() => void list.refetch()}>
              Try again
            </button>
          }
        />
      ) : list.data.items.length === 0 ? (
        <div className="card">
          {q.search || q.status ? (
            <EmptyState title="No tenants match">
              Change the search or the status filter.
            </EmptyState>
          ) : (
            <EmptyState
              title="No tenants yet"
              action={
                <Link className="btn btn-primary" href="/tenants/new">
                  Create the first tenant
                </Link>
              }
            >
              A tenant is an organisation with its own database.
            </EmptyState>
          )}
        </div>
      ) : (
        <>
          <div className="table-wrap">
            <table
              className="table table-cards"
              data-testid="tenants-table"
              aria-busy={list.isFetching}
            >
              <thead>
                <tr>
                  {(["name", "slug", "status"] as const).map((f) => (
                    <th key={f} scope="col" aria-sort={ariaSort(f)}>
                      <button type="button" className="sort" onClick={() => toggleSort(f)}>
                        {f === "name" ? "Name" : f === "slug" ? "Slug" : "Status"}{" "}
                        <span aria-hidden>{arrow(f)}</span>
                      </button>
                    </th>
                  ))}
                  <th scope="col">Plan</th>
                  <th scope="col">Cluster</th>
                  <th scope="col" aria-sort={ariaSort("createdAt")}>
                    <button type="button" className="sort" onClick={() => toggleSort("createdAt")}>
                      Created <span aria-hidden>{arrow("createdAt")}</span>
                    </button>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((t) => (
                  <tr key={t.id} data-testid="tenant-row">
                    <td>
                      <Link href={`/tenants/${t.id}`}>{t.name}</Link>
                    </td>
                    <td className="mono" data-label="Slug">
                      {displaySlug(t.slug)}
                    </td>
                    <td data-label="Status">
                      <Badge tone={t.status}>{t.status}</Badge>
                    </td>
                    <td data-label="Plan">{t.plan ?? "—"}</td>
                    <td data-label="Cluster">{t.cluster}</td>
                    <td data-label="Created">
                      {new Date(t.createdAt).toLocaleDateString("en-GB")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pagination" aria-label="Pagination">
            <span className="muted small">
              {total} tenant{total === 1 ? "" : "s"} · page {q.page} of {pages}
            </span>
            <button
              type="button"
              className="btn btn-sm"
              disabled={q.page <= 1}
              onClick={() => setQ((p) => ({ ...p, page: p.page - 1 }))}
            >
              Previous
            </button>
            <button
              type="button"
              className="btn btn-sm"
              disabled={q.page >= pages}
              onClick={() => setQ((p) => ({ ...p, page: p.page + 1 }))}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </>
  );
}
