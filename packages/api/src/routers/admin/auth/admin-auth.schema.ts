import { z } from "zod";

import { ZEmail, ZPasswordInput } from "../../shared.schema";

export const ZAdminLoginInput = z.strictObject({ email: ZEmail, password: ZPasswordInput });
export type TAdminLoginInput = z.infer<typeof ZAdminLoginInput>;
