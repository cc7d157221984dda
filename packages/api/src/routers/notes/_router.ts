import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  createNoteHandler,
  deleteNoteHandler,
  getNoteHandler,
  listNotesHandler,
  updateNoteHandler,
} from "./notes.handler";
import { ZCreateNoteInput, ZListNotesInput, ZNoteId, ZUpdateNoteInput } from "./notes.schema";

export const notesRouter = createTRPCRouter({
  list: tenantProcedure.input(ZListNotesInput).query(listNotesHandler),
  get: tenantProcedure.input(ZNoteId).query(getNoteHandler),
  create: tenantProcedure.input(ZCreateNoteInput).mutation(createNoteHandler),
  update: tenantProcedure.input(ZUpdateNoteInput).mutation(updateNoteHandler),
  delete: tenantProcedure.input(ZNoteId).mutation(deleteNoteHandler),
});
