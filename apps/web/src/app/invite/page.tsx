import type { Metadata } from "next";
import { AcceptInviteForm } from "./accept-invite-form";

export const metadata: Metadata = { title: "Accept invitation" };

// The token travels in the URL fragment (`/invite#token=…`), which never reaches a server log.
export default function InvitePage() {
  return (
    <div className="auth-wrap">
      <div className="card auth-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            T
          </span>{" "}
          Tenantry
        </div>
        <h1>Accept your invitation</h1>
        <p className="muted">Choose a password to finish setting up your account.</p>
        <AcceptInviteForm />
      </div>
    </div>
  );
}
