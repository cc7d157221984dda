// Client-side checks for the create-tenant form: the domain's own policies (the api applies the
// same ones), so most mistakes show up next to their field before a round trip.
import {
  PASSWORD_MIN_LENGTH,
  RESERVED_SLUGS,
  isValidEmail,
  normalizeEmailText,
  passwordWeakness,
  slugProblem,
} from "@tenantry/tenancy/policies";
import { z } from "zod";

export const tenantFormSchema = z
  .object({
    slug: z.string().superRefine((slug, ctx) => {
      if (slugProblem(slug) === null) return;
      ctx.addIssue({
        code: "custom",
        message: RESERVED_SLUGS.has(slug)
          ? "This slug is reserved; choose another."
          : "3–40 characters: lowercase letters, digits and hyphens, not starting or ending with a hyphen.",
      });
    }),
    name: z.string().trim().min(1, "Enter the organisation's name."),
    ownerEmail: z
      .string()
      .trim()
      .refine((email) => isValidEmail(normalizeEmailText(email)), "Enter a valid email address."),
    ownerName: z.string().trim().min(1, "Enter the owner's name."),
    ownerPassword: z.string(),
    cluster: z.string(),
    plan: z.string(),
  })
  .superRefine((form, ctx) => {
    const weakness = passwordWeakness(form.ownerPassword, normalizeEmailText(form.ownerEmail));
    if (weakness === null) return;
    ctx.addIssue({
      code: "custom",
      path: ["ownerPassword"],
      // The form's own wording for the commonest case; the policy's sentence for the rest.
      message:
        form.ownerPassword.length < PASSWORD_MIN_LENGTH
          ? `Use at least ${PASSWORD_MIN_LENGTH} characters.`
          : weakness,
    });
  });

type TenantFormField = keyof z.input<typeof tenantFormSchema>;
export type TenantFormErrors = Partial<Record<TenantFormField, string>>;

/** The first message per invalid field; empty when the form may be sent. */
export function validateTenantForm(
  v: Omit<z.input<typeof tenantFormSchema>, "cluster" | "plan"> &
    Partial<Pick<z.input<typeof tenantFormSchema>, "cluster" | "plan">>,
): TenantFormErrors {
  const res = tenantFormSchema.safeParse({ cluster: "", plan: "", ...v });
  if (res.success) return {};
  const { fieldErrors } = z.flattenError(res.error);
  return Object.fromEntries(Object.entries(fieldErrors).map(([k, msgs]) => [k, msgs[0] ?? ""]));
}
