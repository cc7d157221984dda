"use client";
import { TwoFactorSection } from "../(app)/profile/two-factor-section";

/** Once the recovery codes are saved, the whole app opens: a full navigation to its start. */
export function SetupTwoFactor() {
  return <TwoFactorSection onEnrolled={() => window.location.assign("/")} />;
}
