// Client-side checks for the create-tenant form, mirroring the api's rules so most mistakes
// show up next to their field before a round trip.
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

export type TenantFormErrors = Partial<
  Record<
    "slug" | "name" | "ownerEmail" | "ownerName" | "ownerPassword" | "cluster" | "plan",
    string
  >
>;

export function validateTenantForm(v: {
  slug: string;
  name: string;
  ownerEmail: string;
  ownerName: string;
  ownerPassword: string;
}): TenantFormErrors {
  const e: TenantFormErrors = {};
  if (!SLUG.test(v.slug))
    e.slug =
      "3–40 characters: lowercase letters, digits and hyphens, not starting or ending with a hyphen.";
  else if (RESERVED.has(v.slug)) e.slug = "This slug is reserved; choose another.";
  if (!v.name.trim()) e.name = "Enter the organisation's name.";
  if (!/^\S+@\S+\.\S+$/.test(v.ownerEmail.trim())) e.ownerEmail = "Enter a valid email address.";
  if (!v.ownerName.trim()) e.ownerName = "Enter the owner's name.";
  if (v.ownerPassword.length < 12) e.ownerPassword = "Use at least 12 characters.";
  return e;
}
