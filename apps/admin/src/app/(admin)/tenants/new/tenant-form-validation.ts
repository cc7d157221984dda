// Client-side checks for the create-tenant form, mirroring the api's rules so most mistakes
// show up next to their field before a round trip.
import { z } from "zod";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
const RESERVED = new Set([
  "admin",
  "api",
  "app",
  "www",
  "static",
  "assets",
  "login",
  "logout",
  "signup",
  "trpc",
  "health",
  "default",
]);

export const tenantFormSchema = z.object({
  slug: z
    .string()
    .regex(
      SLUG,
      "3–40 characters: lowercase letters, digits and hyphens, not starting or ending with a hyphen.",
    )
    .refine((s) => !RESERVED.has(s), "This slug is reserved; choose another."),
  name: z.string().trim().min(1, "Enter the organisation's name."),
  ownerEmail: z
    .string()
    .trim()
    .regex(/^\S+@\S+\.\S+$/, "Enter a valid email address."),
  ownerName: z.string().trim().min(1, "Enter the owner's name."),
  ownerPassword: z.string().min(12, "Use at least 12 characters."),
  cluster: z.string(),
  plan: z.string(),
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
