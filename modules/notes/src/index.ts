// @tenantry/notes: register `notes` once, in the app's module list (packages/api/src/app-modules.ts).
import { defineAppModule } from "@tenantry/api/module-kit";

import { notesTenantModule } from "./notes-module";
import { notesRouter } from "./router/_router";

export const notes = defineAppModule(notesTenantModule, notesRouter);
export type { NoteDoc } from "./notes-module";
