// Authenticator-app codes for tests that sign in with a second factor: what a phone would show
// for a secret (the manual key), now or some 30-second steps away.
import { authenticator } from "otplib";

/** The TOTP code of `secret` at `steps` 30-second steps from now (0 = the current code). */
export function totpCode(secret: string, steps = 0): string {
  return authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);
}
