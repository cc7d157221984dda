"use client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import {
  ConfirmDialog,
  EmptyState,
  ErrorState,
  LoadMore,
  Loading,
  PageHead,
  TextField,
  useToast,
} from "@tenantry/ui";
import { describeError } from "~/api-error";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { NoteEditor } from "./note-editor";
import type { NoteDraft } from "./note-editor";

const PAGE_SIZE = 10;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

interface Me {
  id: string;
  role: string;
}

/** Members change only their own notes; owners and admins any (the same rule as the api's). */
const mayChange = (me: Me, authorId: string) => me.role !== "member" || authorId === me.id;

export function NotesView({
  openNew,
  initialTag,
  me,
}: {
  openNew: boolean;
  initialTag: string;
  me: Me;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [tag, setTag] = useState(initialTag);
  const debouncedSearch = useDebounced(search.trim(), 300);
  const debouncedTag = useDebounced(tag.trim(), 300);
  const [editing, setEditing] = useState<NoteDraft | null>(
    openNew ? { title: "", body: "", tags: [] } : null,
  );
  const [deleting, setDeleting] = useState<{ id: string; title: string } | null>(null);

  const input = {
    limit: PAGE_SIZE,
    ...(debouncedSearch ? { search: debouncedSearch } : {}),
    ...(debouncedTag ? { tag: debouncedTag } : {}),
  };
  const list = useInfiniteQuery(
    trpc.notes.list.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  );
  const notes = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const knownTags = useMemo(() => [...new Set(notes.flatMap((n) => n.tags))].sort(), [notes]);

  const remove = useMutation(
    trpc.notes.delete.mutationOptions({
      onSuccess: async () => {
        toast.success("Note deleted.");
        setDeleting(null);
        await queryClient.invalidateQueries(trpc.notes.list.pathFilter());
      },
      onError: (err) => toast.error(describeError(err).message),
    }),
  );

  const filtered = Boolean(debouncedSearch || debouncedTag);

  return (
    <>
      <PageHead
        title="Notes"
        subtitle="Shared with everyone in your organisation."
        actions={
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setEditing({ title: "", body: "", tags: [] })}
          >
            New note
          </button>
        }
      />
      <div className="toolbar" role="search">
        <TextField
          label="Search"
          type="search"
          placeholder="Search titles and text"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          fieldClassName="grow"
        />
        <TextField
          label="Tag"
          placeholder="Any tag"
          list="known-tags"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
        />
        <datalist id="known-tags">
          {knownTags.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        {filtered ? (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setSearch("");
              setTag("");
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>

      {list.isPending ? (
        <Loading label="Loading notes…" />
      ) : list.isError ? (
        <ErrorState
          message={describeError(list.error).message}
          action={
            <button className="btn btn-sm" onClick={() => void list.refetch()}>
              Try again
            </button>
          }
        />
      ) : notes.length === 0 ? (
        <div className="card">
          {filtered ? (
            <EmptyState title="No matching notes">Try another search or tag.</EmptyState>
          ) : (
            <EmptyState
              title="No notes yet"
              action={
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => setEditing({ title: "", body: "", tags: [] })}
                >
                  Write the first note
                </button>
              }
            >
              Notes are visible to every member of your organisation.
            </EmptyState>
          )}
        </div>
      ) : (
        <>
          <ul
            className="note-list"
            style={{ listStyle: "none", padding: 0, margin: 0 }}
            aria-label="Notes"
            data-testid="note-list"
          >
            {notes.map((n) => (
              <li key={n.id} className="note" data-testid="note">
                <div className="row" style={{ alignItems: "flex-start" }}>
                  <h3 style={{ flex: 1 }}>{n.title}</h3>
                  {mayChange(me, n.author.id) ? (
                    <>
                      <button
                        type="button"
                        className="btn btn-sm"
                        onClick={() =>
                          setEditing({ id: n.id, title: n.title, body: n.body, tags: n.tags })
                        }
                        aria-label={`Edit ${n.title}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="btn btn-sm btn-ghost"
                        onClick={() => setDeleting({ id: n.id, title: n.title })}
                        aria-label={`Delete ${n.title}`}
                      >
                        Delete
                      </button>
                    </>
                  ) : null}
                </div>
                {n.body ? <p className="body">{n.body}</p> : null}
                <div className="meta">
                  {n.tags.map((t) => (
                    <button
                      key={t}
                      type="button"
                      className="tag"
                      onClick={() => setTag(t)}
                      aria-label={`Filter by tag ${t}`}
                    >
                      {t}
                    </button>
                  ))}
                  <span data-testid="note-author">
                    By {n.author.id === me.id ? "you" : (n.author.name ?? "a former member")}
                  </span>
                  <span>Updated {new Date(n.updatedAt).toLocaleString("en-GB")}</span>
                </div>
              </li>
            ))}
          </ul>
          <LoadMore shown={notes.length} list={list} />
        </>
      )}

      {editing ? (
        <NoteEditor
          draft={editing}
          onClose={() => setEditing(null)}
          onSaved={async (created) => {
            setEditing(null);
            toast.success(created ? "Note created." : "Note saved.");
            await queryClient.invalidateQueries(trpc.notes.list.pathFilter());
          }}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete note?"
        message={
          <>
            “{deleting?.title}” will be deleted for everyone in your organisation. This cannot be
            undone.
          </>
        }
        confirmLabel="Delete note"
        danger
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      />
    </>
  );
}
