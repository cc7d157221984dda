"use client";
import { useMutation } from "@tanstack/react-query";
import { Dialog, TextArea, describeApiError, useZodForm } from "@tenantry/ui";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z.object({
  reason: z.string().trim().min(3, "Give a reason; the tenant's users will see it."),
});

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
  const trpc = useTRPC();
  const form = useZodForm(schema, { defaultValues: { reason: "" } });
  const { errors } = form.formState;
  const suspend = useMutation(trpc.tenants.suspend.mutationOptions());
  const submit = form.handleSubmit(async ({ reason }) => {
    try {
      await suspend.mutateAsync({ id: tenantId, reason });
      form.reset();
      await onDone();
    } catch (err) {
      const info = describeApiError(err);
      form.setError("reason", { message: info.fieldErrors.reason ?? info.message });
    }
  });
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
          {...form.register("reason")}
          error={errors.reason?.message}
          maxLength={500}
          hint="Shown to the tenant's users."
          style={{ minHeight: 80 }}
        />
      </form>
    </Dialog>
  );
}
