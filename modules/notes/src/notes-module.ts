// The notes module's data: one tenant collection, its indexes, the migration that builds them
// and the counts the admin tenant page shows. Registered through createTenancy({ modules }).
import { defineTenantModule, ensureCollection } from "@tenantry/tenancy";
import type { Types } from "mongoose";
import { Schema } from "mongoose";

export interface NoteDoc {
  _id: Types.ObjectId;
  title: string;
  body: string;
  tags: string[];
  authorId: Types.ObjectId;
  authorName: string;
  createdAt: Date;
  updatedAt: Date;
}

// Like tenancy's own schemas: no lazy work, the migration creates the collection and indexes.
const noteSchema = new Schema<NoteDoc>(
  {
    title: { type: String, required: true, maxlength: 200 },
    body: { type: String, default: "", maxlength: 100_000 },
    tags: { type: [String], default: [] },
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorName: { type: String, required: true },
  },
  {
    collection: "notes",
    timestamps: true,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  },
);
noteSchema.index({ updatedAt: -1, _id: -1 });
noteSchema.index({ tags: 1 });
noteSchema.index({ authorId: 1 });

export const notesTenantModule = defineTenantModule({
  name: "notes",
  schemas: { Note: noteSchema },
  // Notes count against the plan's "notes" limit.
  countedModel: "Note",
  // Offered to the tenant's webhook endpoints; written with the note (router/notes.handler.ts).
  events: ["note.created"],
  migrations: [
    {
      // Tenants provisioned while notes lived in tenancy already have it: ensureCollection is a no-op.
      version: 1,
      name: "notes-collection-and-indexes",
      up: ({ models }) => ensureCollection(models.Note as never),
    },
  ],
  async adminStats({ Note }) {
    const [notes, last] = await Promise.all([
      Note.countDocuments({}),
      Note.findOne({}).sort({ updatedAt: -1 }).select({ updatedAt: 1 }).lean(),
    ]);
    return { counts: { notes }, lastActivityAt: last?.updatedAt ?? null };
  },
});
