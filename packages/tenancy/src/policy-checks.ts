// The policies (./policies) as the domain core enforces them: a refusal is a typed error.
import { WeakPassword } from "./errors";
import { passwordWeakness } from "./policies";

/** Throws WeakPassword unless the one password policy accepts `password` (checked against `email`). */
export function checkPassword(
  password: string,
  email: string | undefined,
  whose: string | null = null,
): void {
  const weakness = passwordWeakness(password, email);
  if (weakness) throw new WeakPassword(whose, weakness);
}
