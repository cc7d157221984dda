"use client";
import { useMutation } from "@tanstack/react-query";
import { Dialog, TextArea, describeApiError, useZodForm } from "@tenantry/ui";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z.object({
  reason: z.string().trim().min(3, "Give a reason; it is kept in the audit log."),
});

/** Mails the tenant's owners a reset link; the admin sees who it went to, never the link. */
export function OwnerResetDialog({
  open,
  tenantId,
  slug,
  onClose,
  onSent,
}: {
  open: boolean;
  tenantId: string;
  slug: string;
  onClose: () => void;
  onSent: (emails: string[]) => Promise<void>;
}) {
  const trpc = useTRPC();
  const form = useZodForm(schema, { defaultValues: { reason: "" } });
  const { errors } = form.formState;
  const send = useMutation(trpc.tenants.sendOwnerReset.mutationOptions());
  const submit = form.handleSubmit(async ({ reason }) => {
    try {
      const { sentTo } = await send.mutateAsync({ id: tenantId, reason });
      form.reset();
      await onSent(sentTo);
    } catch (err) {
      const info = describeApiError(err);
      form.setError("reason", { message: info.fieldErrors.reason ?? info.message });
    }
  });
  return (
    <Dialog
      open={open}
      title={`Send ${slug}'s owner a reset link?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="owner-reset-form"
            className="btn btn-primary"
            disabled={send.isPending}
          >
            {send.isPending ? <span className="spinner" aria-hidden /> : null}
            Send reset link
          </button>
        </>
      }
    >
      <form id="owner-reset-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">
          Each active owner gets an email with a link to set a new password (valid 30 minutes). You
          never see the link or the password.
        </p>
        <TextArea
          label="Reason"
          {...form.register("reason")}
          error={errors.reason?.message}
          maxLength={500}
          hint="Kept in the platform and the tenant's audit logs."
          style={{ minHeight: 80 }}
        />
      </form>
    </Dialog>
  );
}
