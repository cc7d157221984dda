// The example business resource. Every query runs on ctx.tenant's models, so an id from another
// tenant simply does not exist here.
import { recordTenantAudit, refuse, searchRegex } from "@tenantry/api/module-kit";
import { Types } from "mongoose";

import type { NoteDoc } from "../notes-module";
import { notesTenantModule } from "../notes-module";
import type { NotesContext } from "./notes-procedure";
import type { TCreateNoteInput, TListNotesInput, TNoteId, TUpdateNoteInput } from "./notes.schema";

type H<I> = { ctx: NotesContext; input: I };

function publicNote(n: NoteDoc) {
  return {
    id: n._id.toString(),
    title: n.title,
    body: n.body,
    tags: n.tags,
    author: { id: n.authorId.toString(), name: n.authorName },
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  };
}

const NOTES = notesTenantModule.schemas.Note.get("collection") as string;
/** What publicNote reads: the list leaves out every other stored field (e.g. `__v`). */
const NOTE_FIELDS = {
  title: 1,
  body: 1,
  tags: 1,
  authorId: 1,
  authorName: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

/**
 * notes.list is the hot read: it goes to the driver with a projection instead of through a
 * mongoose Query (no casting or hydration happens on a lean read anyway; the filter below is
 * built from validated input with the driver's own types).
 */
function notesCollection(ctx: NotesContext) {
  const db = ctx.tenant.conn.db;
  if (!db) throw new Error(`tenant ${ctx.tenant.tenant.id} has no database handle`);
  return db.collection<NoteDoc>(NOTES);
}

const notFound = () => refuse("NOT_FOUND", "NOT_FOUND", "No such note");

export async function listNotesHandler({ ctx, input }: H<TListNotesInput>) {
  const filter: Record<string, unknown> = {};
  if (input.search) {
    const re = searchRegex(input.search);
    filter.$or = [{ title: re }, { body: re }];
  }
  if (input.tag) filter.tags = input.tag;
  // Newest first; the cursor is the last id seen, stable under concurrent edits.
  if (input.cursor) filter._id = { $lt: new Types.ObjectId(input.cursor) };
  const rows = await notesCollection(ctx)
    .find(filter, { projection: NOTE_FIELDS })
    .sort({ _id: -1 })
    .limit(input.limit + 1)
    .toArray();
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(publicNote),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?._id.toString() ?? null) : null,
  };
}

export async function getNoteHandler({ ctx, input }: H<TNoteId>) {
  const note = await ctx.tenant.models.Note.findById(input.id).lean<NoteDoc>();
  if (!note) throw notFound();
  return publicNote(note);
}

export async function createNoteHandler({ ctx, input }: H<TCreateNoteInput>) {
  // The note and its note.created event (the tenant's outbox) commit together.
  const created = await ctx.services.tenancy.events.transaction(
    ctx.tenant,
    async (session, emit) => {
      const [note] = await ctx.tenant.models.Note.create(
        [
          {
            title: input.title,
            body: input.body,
            tags: input.tags,
            authorId: ctx.user._id,
            authorName: ctx.user.name,
          },
        ],
        { session },
      );
      if (!note) throw new Error("Note.create returned nothing");
      emit({
        type: "note.created",
        data: { noteId: note._id.toString(), title: note.title, authorId: ctx.user._id.toString() },
      });
      return note;
    },
  );
  // Notes writes are audited like member changes; under impersonation the entry names the admin.
  await recordTenantAudit(ctx, "notes.create", created._id.toString(), { title: input.title });
  return publicNote(created.toObject());
}

/** Members change only the notes they wrote; owners and admins change any note of the tenant. */
function ownNotesOnly(ctx: NotesContext): { authorId?: Types.ObjectId } {
  return ctx.user.role === "member" ? { authorId: ctx.user._id } : {};
}

/** Why a write matched nothing: someone else's note (for a member), or no such note. */
async function notYours(ctx: NotesContext, id: string) {
  if (ctx.user.role === "member" && (await ctx.tenant.models.Note.exists({ _id: id })))
    return refuse("FORBIDDEN", "FORBIDDEN_ROLE", "Members can change only the notes they wrote");
  return notFound();
}

export async function updateNoteHandler({ ctx, input }: H<TUpdateNoteInput>) {
  const { id, ...changes } = input;
  const $set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) $set[k] = v;
  const note = await ctx.tenant.models.Note.findOneAndUpdate(
    { _id: id, ...ownNotesOnly(ctx) },
    { $set },
    { returnDocument: "after", runValidators: true },
  ).lean<NoteDoc>();
  if (!note) throw await notYours(ctx, id);
  await recordTenantAudit(ctx, "notes.update", id, { fields: Object.keys($set) });
  return publicNote(note);
}

export async function deleteNoteHandler({ ctx, input }: H<TNoteId>) {
  const res = await ctx.tenant.models.Note.deleteOne({ _id: input.id, ...ownNotesOnly(ctx) });
  if (res.deletedCount !== 1) throw await notYours(ctx, input.id);
  await recordTenantAudit(ctx, "notes.delete", input.id);
  return { ok: true as const, id: input.id };
}
