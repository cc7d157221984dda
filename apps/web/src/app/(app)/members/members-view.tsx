"use client";
import {
  Badge,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  Loading,
  PageHead,
  TextField,
  useToast,
} from "@tenantry/ui";
import { describeError } from "~/api-error";
import { useEffect, useMemo, useState } from "react";
import { api } from "~/trpc/react";
import { AddMemberDialog } from "./add-member-dialog";

const ROLES = ["owner", "admin", "member"] as const;
type Role = (typeof ROLES)[number];

export function MembersView({ myUserId, myRole }: { myUserId: string; myRole: string }) {
  const toast = useToast();
  const utils = api.useUtils();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; email: string } | null>(null);

  const list = api.members.list.useInfiniteQuery(
    { limit: 20, ...(debounced ? { search: debounced } : {}) },
    { getNextPageParam: (last) => last.nextCursor ?? undefined },
  );
  const members = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const onError = (err: unknown) => toast.error(describeError(err).message);
  const refresh = () => utils.members.list.invalidate();
  const changeRole = api.members.changeRole.useMutation({
    onSuccess: async () => {
      toast.success("Role updated.");
      await refresh();
    },
    onError,
  });
  const deactivate = api.members.deactivate.useMutation({
    onSuccess: async () => {
      toast.success("Member deactivated.");
      await refresh();
    },
    onError,
  });
  const reactivate = api.members.reactivate.useMutation({
    onSuccess: async () => {
      toast.success("Member reactivated.");
      await refresh();
    },
    onError,
  });
  const remove = api.members.remove.useMutation({
    onSuccess: async () => {
      toast.success("Member removed.");
      setRemoving(null);
      await refresh();
    },
    onError,
  });
  const assignable: readonly Role[] = myRole === "owner" ? ROLES : ["admin", "member"];

  return (
    <>
      <PageHead
        title="Members"
        subtitle="People who can sign in to this organisation."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            Add member
          </button>
        }
      />
      <div className="toolbar" role="search">
        <TextField
          label="Search members"
          type="search"
          placeholder="Name or email"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          fieldClassName="grow"
        />
      </div>
      {list.isPending ? (
        <Loading label="Loading members…" />
      ) : list.isError ? (
        <ErrorState message={describeError(list.error).message} />
      ) : members.length === 0 ? (
        <div className="card">
          <EmptyState title={debounced ? "No matching members" : "No members yet"} />
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="members-table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const self = m.id === myUserId;
                return (
                  <tr key={m.id} data-testid="member-row">
                    <td>
                      <div>
                        <strong>{m.name || m.email}</strong>
                        {self ? <span className="muted small"> (you)</span> : null}
                      </div>
                      <div className="muted small">{m.email}</div>
                    </td>
                    <td>
                      <label className="sr-only" htmlFor={`role-${m.id}`}>
                        Role of {m.email}
                      </label>
                      <select
                        id={`role-${m.id}`}
                        value={m.role}
                        disabled={
                          self || changeRole.isPending || (m.role === "owner" && myRole !== "owner")
                        }
                        onChange={(e) =>
                          changeRole.mutate({ userId: m.id, role: e.target.value as Role })
                        }
                        style={{ width: "auto" }}
                      >
                        {ROLES.map((r) => (
                          <option
                            key={r}
                            value={r}
                            disabled={!assignable.includes(r) && r !== m.role}
                          >
                            {r}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <Badge
                        tone={
                          m.status === "active"
                            ? "active"
                            : m.status === "invited"
                              ? "info"
                              : "deactivated"
                        }
                      >
                        {m.status}
                      </Badge>
                    </td>
                    <td>
                      {self ? null : (
                        <div className="row" style={{ justifyContent: "flex-end" }}>
                          {m.status === "deactivated" ? (
                            <button
                              type="button"
                              className="btn btn-sm"
                              onClick={() => reactivate.mutate({ userId: m.id })}
                            >
                              Reactivate
                            </button>
                          ) : (
                            <button
                              type="button"
                              className="btn btn-sm"
                              onClick={() => deactivate.mutate({ userId: m.id })}
                            >
                              Deactivate
                            </button>
                          )}
                          <button
                            type="button"
                            className="btn btn-sm btn-ghost"
                            onClick={() => setRemoving({ id: m.id, email: m.email })}
                            aria-label={`Remove ${m.email}`}
                          >
                            Remove
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
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
      {adding ? (
        <AddMemberDialog roles={assignable} onClose={() => setAdding(false)} onAdded={refresh} />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title="Remove member?"
        message={<>{removing?.email} loses access to this organisation immediately.</>}
        confirmLabel="Remove member"
        danger
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ userId: removing.id })}
      />
    </>
  );
}
