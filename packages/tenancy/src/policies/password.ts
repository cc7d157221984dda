// One rule for every password we accept (tenant users and super admins): long enough to resist
// offline guessing, not a well-known one, not the email itself.
const COMMON = new Set([
  "password",
  "password1",
  "password123",
  "123456789012",
  "qwertyuiop",
  "letmein",
  "welcome",
  "admin",
  "administrator",
  "changeme",
  "iloveyou",
  "passw0rd",
  "p@ssw0rd",
  "1q2w3e4r5t6y",
  "qwerty123456",
  "abc123456789",
  "trustno1",
  "superman",
  "football",
  "baseball",
  "tenantry",
]);

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Null when acceptable, otherwise a sentence saying what to change. */
export function passwordWeakness(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `Password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `Password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[0-9!@#$%^&*.]+$/, "")))
    return "Password is too common";
  if (new Set(password).size < 5) return "Password repeats too few distinct characters";
  const local = email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local))
    return "Password must not contain your email address";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) =>
    r.test(password),
  ).length;
  if (password.length < 16 && classes < 3) {
    return "Password needs three of: lower case, upper case, digits, symbols (or at least 16 characters)";
  }
  return null;
}
