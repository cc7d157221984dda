"use client";
import { useMutation } from "@tanstack/react-query";
import { Dialog, TextField, describeApiError, useZodForm } from "@tenantry/ui";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

// The same bounds as tenancy's name rule; the server's answer is the one that counts.
const schema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(100, "At most 100 characters."),
});

/** Changes the organisation's display name; its slug (and every link) stays. */
export function RenameDialog({
  tenantId,
  name,
  onClose,
  onDone,
}: {
  tenantId: string;
  name: string;
  onClose: () => void;
  onDone: (name: string) => Promise<void>;
}) {
  const trpc = useTRPC();
  const form = useZodForm(schema, { defaultValues: { name } });
  const { errors } = form.formState;
  const rename = useMutation(trpc.tenants.rename.mutationOptions());
  const submit = form.handleSubmit(async (values) => {
    try {
      const renamed = await rename.mutateAsync({ id: tenantId, name: values.name });
      await onDone(renamed.name);
    } catch (err) {
      form.setError("name", { message: describeApiError(err).message });
    }
  });
  return (
    <Dialog
      open
      title="Rename organisation"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="rename-form"
            className="btn btn-primary"
            disabled={rename.isPending}
          >
            {rename.isPending ? <span className="spinner" aria-hidden /> : null}
            Rename
          </button>
        </>
      }
    >
      <form id="rename-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">
          Members see the new name at once. The slug and the organisation&apos;s links stay the
          same.
        </p>
        <TextField
          label="Name"
          {...form.register("name")}
          error={errors.name?.message}
          maxLength={100}
          autoComplete="off"
        />
      </form>
    </Dialog>
  );
}
