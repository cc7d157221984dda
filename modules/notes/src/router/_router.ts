import { createTRPCRouter } from "@tenantry/api/module-kit";

import {
  createNoteHandler,
  deleteNoteHandler,
  getNoteHandler,
  listNotesHandler,
  updateNoteHandler,
} from "./notes.handler";
import { notesCreateProcedure, notesProcedure } from "./notes-procedure";
import { ZCreateNoteInput, ZListNotesInput, ZNoteId, ZUpdateNoteInput } from "./notes.schema";

export const notesRouter = createTRPCRouter({
  list: notesProcedure.input(ZListNotesInput).query(listNotesHandler),
  get: notesProcedure.input(ZNoteId).query(getNoteHandler),
  create: notesCreateProcedure.input(ZCreateNoteInput).mutation(createNoteHandler),
  update: notesProcedure.input(ZUpdateNoteInput).mutation(updateNoteHandler),
  delete: notesProcedure.input(ZNoteId).mutation(deleteNoteHandler),
});
