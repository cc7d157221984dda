"use client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
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
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { AddMemberDialog } from "./add-member-dialog";
import { PendingInvites } from "./pending-invites";

const ROLES = ["owner", "admin", "member"] as const;
type Role = (typeof ROLES)[number];

interface Person {
  id: string;
  email: string;
  name?: string | null;
}
const nameOf = (m: Person) => m.name || m.email;
const withArticle = (role: Role) => (role === "admin" ? "an admin" : `a ${role}`);

/** What a role change does, said before it happens: every change grants or takes owner/admin. */
function roleChangeMessage(m: Person & { role: Role }, to: Role): string {
  const who = nameOf(m);
  if (to === "owner") return `${who} can then manage members, settings and other owners.`;
  if (to === "admin")
    return m.role === "owner"
      ? `${who} stops being an owner and can no longer manage owners.`
      : `${who} can then add, change and remove members and change the settings.`;
  return `${who} loses the ${m.role} role and can no longer manage members or settings.`;
}

export function MembersView({ myUserId, myRole }: { myUserId: string; myRole: string }) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Person | null>(null);
  const [heir, setHeir] = useState<Person | null>(null);
  const router = useRouter();
  const [roleChange, setRoleChange] = useState<{
    member: Person & { role: Role };
    to: Role;
  } | null>(null);

  const list = useInfiniteQuery(
    trpc.members.list.infiniteQueryOptions(
      { limit: 20, ...(debounced ? { search: debounced } : {}) },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const members = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const onError = (err: unknown) => toast.error(describeError(err).message);
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.members.list.pathFilter()),
      queryClient.invalidateQueries(trpc.members.pendingInvites.pathFilter()),
    ]);
  };
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: async (_data, { role }) => {
        if (roleChange)
          toast.success(`Role updated. ${nameOf(roleChange.member)} is now ${withArticle(role)}.`);
        setRoleChange(null);
        await refresh();
      },
      onError,
    }),
  );
  // The toasts name the person: a list of "Member deactivated." toasts says nothing.
  const named = (members: Person[], userId: string) => {
    const m = members.find((x) => x.id === userId);
    return m ? nameOf(m) : "The member";
  };
  const deactivate = useMutation(
    trpc.members.deactivate.mutationOptions({
      onSuccess: async (_data, { userId }) => {
        toast.success(`${named(members, userId)} is deactivated.`);
        await refresh();
      },
      onError,
    }),
  );
  const reactivate = useMutation(
    trpc.members.reactivate.mutationOptions({
      onSuccess: async (_data, { userId }) => {
        toast.success(`${named(members, userId)} is reactivated.`);
        await refresh();
      },
      onError,
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async (_data, { userId }) => {
        toast.success(`${named(members, userId)} is removed.`);
        setRemoving(null);
        await refresh();
      },
      onError,
    }),
  );
  const sendReset = useMutation(
    trpc.members.sendPasswordReset.mutationOptions({
      onSuccess: (data) => toast.success(`A password-reset link is on its way to ${data.sentTo}.`),
      onError,
    }),
  );
  const transfer = useMutation(
    trpc.members.transferOwnership.mutationOptions({
      onSuccess: async (data) => {
        toast.success(`${nameOf(data.newOwner)} now owns this organisation. You are an admin.`);
        setHeir(null);
        await refresh();
        // This page's own role (what it offers) came from the server: read it again.
        router.refresh();
      },
      onError,
    }),
  );
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
          <table className="table table-cards" data-testid="members-table">
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
                    <td data-label="Role">
                      <label className="sr-only" htmlFor={`role-${m.id}`}>
                        Role of {m.email}
                      </label>
                      <select
                        id={`role-${m.id}`}
                        value={m.role}
                        disabled={
                          self || changeRole.isPending || (m.role === "owner" && myRole !== "owner")
                        }
                        onChange={(e) => setRoleChange({ member: m, to: e.target.value as Role })}
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
                    <td data-label="Status">
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
                          {/* An invitation not yet accepted has nothing to deactivate. */}
                          {m.status === "invited" ? null : m.status === "deactivated" ? (
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
                          {/* Only an owner may send an owner a reset link. */}
                          {m.status === "active" && (m.role !== "owner" || myRole === "owner") ? (
                            <button
                              type="button"
                              className="btn btn-sm"
                              disabled={sendReset.isPending}
                              onClick={() => sendReset.mutate({ userId: m.id })}
                              aria-label={`Send ${m.email} a password-reset link`}
                            >
                              Send reset link
                            </button>
                          ) : null}
                          {myRole === "owner" && m.status === "active" && m.role !== "owner" ? (
                            <button
                              type="button"
                              className="btn btn-sm"
                              onClick={() => setHeir(m)}
                              aria-label={`Transfer ownership to ${m.email}`}
                            >
                              Transfer ownership
                            </button>
                          ) : null}
                          <button
                            type="button"
                            className="btn btn-sm btn-ghost"
                            onClick={() => setRemoving(m)}
                            aria-label={
                              m.status === "invited"
                                ? `Cancel invitation for ${m.email}`
                                : `Remove ${m.email}`
                            }
                          >
                            {m.status === "invited" ? "Cancel invitation" : "Remove"}
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
      <PendingInvites myRole={myRole} onChanged={refresh} />
      {adding ? (
        <AddMemberDialog roles={assignable} onClose={() => setAdding(false)} onAdded={refresh} />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title="Remove member?"
        message={
          <>{removing ? nameOf(removing) : ""} loses access to this organisation immediately.</>
        }
        confirmLabel="Remove member"
        danger
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ userId: removing.id })}
      />
      <ConfirmDialog
        open={heir !== null}
        title={heir ? `Transfer ownership to ${nameOf(heir)}?` : "Transfer ownership?"}
        message={
          <>
            {heir ? nameOf(heir) : ""} becomes an owner, and you become an admin: you can no longer
            manage owners or transfer ownership again.
          </>
        }
        confirmLabel="Transfer ownership"
        danger
        busy={transfer.isPending}
        onCancel={() => setHeir(null)}
        onConfirm={() => heir && transfer.mutate({ userId: heir.id })}
      />
      <ConfirmDialog
        open={roleChange !== null}
        title={
          roleChange
            ? `Make ${nameOf(roleChange.member)} ${withArticle(roleChange.to)}?`
            : "Change role?"
        }
        message={roleChange ? roleChangeMessage(roleChange.member, roleChange.to) : ""}
        confirmLabel="Change role"
        danger={roleChange?.to === "owner"}
        busy={changeRole.isPending}
        onCancel={() => setRoleChange(null)}
        onConfirm={() =>
          roleChange && changeRole.mutate({ userId: roleChange.member.id, role: roleChange.to })
        }
      />
    </>
  );
}
