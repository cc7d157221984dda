// The one email rule. Emails are compared trimmed and lower-cased everywhere (directory, admin
// accounts, login), so normalise before checking or storing.
export const EMAIL_MAX_LENGTH = 254;

// zod's "practical" email pattern (z.email()'s default), kept here so browser code and the
// domain core check the same thing without depending on zod.
const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export function normalizeEmailText(email: string): string {
  return email.trim().toLowerCase();
}

/** Whether `email` (already normalised) is an address we accept. */
export function isValidEmail(email: string): boolean {
  return email.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(email);
}
