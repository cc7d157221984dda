import { z } from "zod";

import { ZObjectId, ZRole } from "../shared.schema";

export const ZMemberTargetInput = z.strictObject({ userId: ZObjectId });
export type TMemberTargetInput = z.infer<typeof ZMemberTargetInput>;

export const ZChangeRoleInput = z.strictObject({ userId: ZObjectId, role: ZRole });
export type TChangeRoleInput = z.infer<typeof ZChangeRoleInput>;
