import type { Metadata } from "next";
import { SetPasswordForm } from "./set-password-form";

export const metadata: Metadata = { title: "Set a new password" };

// The token travels in the URL fragment (`/reset-password#token=…`), which never reaches a server log.
export default function ResetPasswordPage() {
  return (
    <div className="auth-wrap">
      <div className="card auth-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            T
          </span>{" "}
          Tenantry
        </div>
        <h1>Set a new password</h1>
        <p className="muted">Setting it ends every session of yours, on every device.</p>
        <SetPasswordForm />
      </div>
    </div>
  );
}
