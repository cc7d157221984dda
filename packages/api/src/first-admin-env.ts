// The first super admin's variables (the admin app requires them, the api server takes them
// optionally); in a file of their own so deploy-check reads them for the processes that do.
import { z } from "zod";

import { PASSWORD_MIN_LENGTH, passwordWeakness } from "@tenantry/tenancy/policies";

/** The first super admin, created on start-up when no super admin exists yet. */
export const firstAdminEnv = {
  ADMIN_EMAIL: z.email({ error: "is required: the first super admin's email" }),
  ADMIN_PASSWORD: z
    .string({
      error: `is required: the first super admin's password (${PASSWORD_MIN_LENGTH}+ characters)`,
    })
    .superRefine((pw, ctx) => {
      const weakness = passwordWeakness(pw);
      if (weakness) ctx.addIssue({ code: "custom", message: `is too weak: ${weakness}` });
    }),
};
