import { z } from "zod";

// Preference keys are plain identifiers (no "$", no "."), values primitives: nothing here can
// become an operator or a dotted path in the update.
const ZPrefKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "letters, digits, - and _");
const ZPrefValue = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);

export const ZUpdateSettingsInput = z.strictObject({
  displayName: z.string().trim().min(1).max(100).nullable().optional(),
  preferences: z
    .record(ZPrefKey, ZPrefValue)
    .refine((o) => Object.keys(o).length <= 50, "at most 50 preferences")
    .optional(),
  /** Switching in from another organisation asks for this organisation's own password. */
  requireOwnSignIn: z.boolean().optional(),
  /** Members must sign in with a second factor; one without it may only enrol until they do. */
  requireTwoFactor: z.boolean().optional(),
});
export type TUpdateSettingsInput = z.infer<typeof ZUpdateSettingsInput>;
