import { z } from "zod";

import { ZCursor, ZLimit, ZSearch } from "../shared.schema";

export const ZListMembersInput = z
  .strictObject({ search: ZSearch.optional(), cursor: ZCursor.optional(), limit: ZLimit })
  .optional()
  .default({ limit: 20 });
export type TListMembersInput = z.infer<typeof ZListMembersInput>;
