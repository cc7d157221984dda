// The procedure every notes call goes through, and the handler context inferred from it.
import { moduleProcedure } from "@tenantry/api/module-kit";
import type { inferProcedureBuilderResolverOptions } from "@trpc/server";

import { notesTenantModule } from "../notes-module";

export const notesProcedure = moduleProcedure(notesTenantModule);
export type NotesContext = inferProcedureBuilderResolverOptions<typeof notesProcedure>["ctx"];
