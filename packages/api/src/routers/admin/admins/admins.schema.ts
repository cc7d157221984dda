import { z } from "zod";

import { ZEmail, ZPasswordInput } from "../../shared.schema";

// The password's strength is tenancy's policy (admins.create), not restated here.
export const ZCreateAdminInput = z.strictObject({
  email: ZEmail,
  name: z.string().trim().min(1, "required").max(100),
  password: ZPasswordInput,
});

export const ZDisableAdminInput = z.strictObject({ email: ZEmail });
