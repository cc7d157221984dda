// The procedure every notes call goes through, and the handler context inferred from it.
import { moduleCreateProcedure, moduleProcedure } from "@tenantry/api/module-kit";
import type { inferProcedureBuilderResolverOptions } from "@trpc/server";

import { notesTenantModule } from "../notes-module";

export const notesProcedure = moduleProcedure(notesTenantModule);
/** notes.create: the plan's notes limit is checked before the note is written. */
export const notesCreateProcedure = moduleCreateProcedure(notesTenantModule);
export type NotesContext = inferProcedureBuilderResolverOptions<typeof notesProcedure>["ctx"];
