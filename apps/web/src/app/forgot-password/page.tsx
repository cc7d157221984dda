import type { Metadata } from "next";
import { RequestResetForm } from "./request-reset-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <div className="auth-wrap">
      <div className="card auth-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            T
          </span>{" "}
          Tenantry
        </div>
        <h1>Forgot your password?</h1>
        <p className="muted">Enter your email and we will send you a link to set a new one.</p>
        <RequestResetForm />
      </div>
    </div>
  );
}
