import { z } from "zod";

import { ZCursor, ZLimit, ZObjectId, ZSearch } from "@tenantry/api/module-kit";

const ZTag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}_ -]+$/u, "letters, digits, spaces, - and _");
const ZTags = z
  .array(ZTag)
  .max(20)
  .transform((tags) => [...new Set(tags)]);

export const ZNoteId = z.strictObject({ id: ZObjectId });
export type TNoteId = z.infer<typeof ZNoteId>;

export const ZCreateNoteInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(100_000).default(""),
  tags: ZTags.default([]),
});
export type TCreateNoteInput = z.infer<typeof ZCreateNoteInput>;

export const ZUpdateNoteInput = z.strictObject({
  id: ZObjectId,
  title: z.string().trim().min(1).max(200).optional(),
  body: z.string().max(100_000).optional(),
  tags: ZTags.optional(),
});
export type TUpdateNoteInput = z.infer<typeof ZUpdateNoteInput>;

export const ZListNotesInput = z
  .strictObject({
    search: ZSearch.optional(),
    tag: ZTag.optional(),
    cursor: ZCursor.optional(),
    limit: ZLimit,
  })
  .optional()
  .default({ limit: 20 });
export type TListNotesInput = z.infer<typeof ZListNotesInput>;
