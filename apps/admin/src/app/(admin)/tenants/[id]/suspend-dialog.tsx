"use client";
import { Dialog, TextArea, describeApiError } from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export function SuspendDialog({
  open,
  tenantId,
  slug,
  onClose,
  onDone,
}: {
  open: boolean;
  tenantId: string;
  slug: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const suspend = api.tenants.suspend.useMutation();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 3) return setError("Give a reason; the tenant's users will see it.");
    setError(undefined);
    try {
      await suspend.mutateAsync({ id: tenantId, reason: reason.trim() });
      setReason("");
      await onDone();
    } catch (err) {
      const info = describeApiError(err);
      setError(info.fieldErrors.reason ?? info.message);
    }
  }
  return (
    <Dialog
      open={open}
      title={`Suspend ${slug}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="suspend-form"
            className="btn btn-danger"
            disabled={suspend.isPending}
          >
            {suspend.isPending ? <span className="spinner" aria-hidden /> : null}
            Suspend tenant
          </button>
        </>
      }
    >
      <form id="suspend-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">
          Every request of this tenant&apos;s users is refused from now on, and their sessions are
          revoked. Data is kept.
        </p>
        <TextArea
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={error}
          maxLength={500}
          hint="Shown to the tenant's users."
          style={{ minHeight: 80 }}
        />
      </form>
    </Dialog>
  );
}
