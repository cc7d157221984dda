"use client";
import { TwoFactorSection } from "../(admin)/sessions/two-factor-section";

/** Once the recovery codes are saved, the dashboard opens: a full navigation to it. */
export function SetupTwoFactor() {
  return <TwoFactorSection onEnrolled={() => window.location.assign("/tenants")} />;
}
