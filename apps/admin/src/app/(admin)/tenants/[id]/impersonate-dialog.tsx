"use client";
import { Dialog, TextField, describeApiError } from "@tenantry/ui";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

/**
 * Gets a short-lived token for a named user, then posts it to the web app in a new tab; the
 * web app turns it into its session cookie and shows the impersonation banner. The session is
 * read-only unless write access is asked for, with its own reason (both go into the audit logs).
 */
export function ImpersonateDialog({
  tenantId,
  webUrl,
  onClose,
}: {
  tenantId: string;
  webUrl: string;
  onClose: () => void;
}) {
  const [email, setEmail] = useState("");
  const [reason, setReason] = useState("");
  const [write, setWrite] = useState(false);
  const [writeReason, setWriteReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [token, setToken] = useState<{ accessToken: string; expiresAt: string } | null>(null);
  const handoff = useRef<HTMLFormElement>(null);
  const start = api.impersonate.start.useMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) local.userEmail = "Enter the user's email address.";
    if (reason.trim().length < 3) local.reason = "Say why; it goes into the audit log.";
    if (write && writeReason.trim().length < 3)
      local["writeAccess.reason"] = "Say why changes are needed; it goes into the audit log.";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      const res = await start.mutateAsync({
        tenantId,
        userEmail: email.trim(),
        reason: reason.trim(),
        ...(write ? { writeAccess: { reason: writeReason.trim() } } : {}),
      });
      setToken({ accessToken: res.accessToken, expiresAt: new Date(res.expiresAt).toISOString() });
      // Let React render the hidden form with the token, then submit it.
      setTimeout(() => handoff.current?.submit(), 0);
    } catch (err) {
      const info = describeApiError(err);
      setErrors({
        ...info.fieldErrors,
        ...(Object.keys(info.fieldErrors).length === 0 ? { userEmail: info.message } : {}),
      });
    }
  }

  return (
    <Dialog
      open
      title="Impersonate a user"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Close
          </button>
          <button
            type="submit"
            form="impersonate-form"
            className="btn btn-primary"
            disabled={start.isPending}
          >
            {start.isPending ? <span className="spinner" aria-hidden /> : null}
            Open web app as this user
          </button>
        </>
      }
    >
      <form id="impersonate-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">
          Opens the tenant app in a new tab, signed in as the user for a short time. The session is
          marked, audited and read-only unless you ask for write access.
        </p>
        <TextField
          label="User email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.userEmail}
          autoComplete="off"
        />
        <TextField
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={errors.reason}
          hint="For example: support ticket number."
        />
        <div className="field">
          <label>
            <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />{" "}
            Allow changes (write access)
          </label>
        </div>
        {write ? (
          <TextField
            label="Why changes are needed"
            value={writeReason}
            onChange={(e) => setWriteReason(e.target.value)}
            error={errors["writeAccess.reason"]}
            hint="Recorded with every change made in this session."
          />
        ) : null}
        {token ? (
          <div className="alert alert-ok" role="status">
            Opened in a new tab.
          </div>
        ) : null}
      </form>
      {token ? (
        <form
          ref={handoff}
          method="post"
          action={`${webUrl}/api/session/impersonate`}
          target="_blank"
          hidden
        >
          <input type="hidden" name="token" value={token.accessToken} />
          <input type="hidden" name="expiresAt" value={token.expiresAt} />
        </form>
      ) : null}
    </Dialog>
  );
}
