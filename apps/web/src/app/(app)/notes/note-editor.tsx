"use client";
import { useMutation } from "@tanstack/react-query";
import { Dialog, FormError, TextArea, TextField, setServerErrors, useZodForm } from "@tenantry/ui";
import { describeError } from "~/api-error";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

export interface NoteDraft {
  id?: string;
  title: string;
  body: string;
  tags: string[];
}

const schema = z.object({
  title: z.string().trim().min(1, "Give the note a title."),
  body: z.string(),
  // Typed as "a, b"; sent as a list, lower-cased and without repeats.
  tags: z.string().transform((raw) => [
    ...new Set(
      raw
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ]),
});

export function NoteEditor({
  draft,
  onClose,
  onSaved,
}: {
  draft: NoteDraft;
  onClose: () => void;
  onSaved: (created: boolean) => void | Promise<void>;
}) {
  const trpc = useTRPC();
  const form = useZodForm(schema, {
    defaultValues: { title: draft.title, body: draft.body, tags: draft.tags.join(", ") },
  });
  const { errors } = form.formState;
  const create = useMutation(trpc.notes.create.mutationOptions());
  const update = useMutation(trpc.notes.update.mutationOptions());
  const busy = create.isPending || update.isPending;

  const submit = form.handleSubmit(async (values) => {
    try {
      if (draft.id) await update.mutateAsync({ id: draft.id, ...values });
      else await create.mutateAsync(values);
      await onSaved(!draft.id);
    } catch (err) {
      const info = describeError(err);
      setServerErrors(form, info.fieldErrors);
      form.setError("root", { message: info.message });
    }
  });

  return (
    <Dialog
      open
      title={draft.id ? "Edit note" : "New note"}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="note-form" className="btn btn-primary" disabled={busy}>
            {busy ? <span className="spinner" aria-hidden /> : null}
            {draft.id ? "Save changes" : "Create note"}
          </button>
        </>
      }
    >
      <form id="note-form" className="form" onSubmit={submit} noValidate>
        <FormError message={errors.root?.message} />
        <TextField
          label="Title"
          {...form.register("title")}
          error={errors.title?.message}
          maxLength={200}
          required
        />
        <TextArea label="Text" {...form.register("body")} error={errors.body?.message} />
        <TextField
          label="Tags"
          hint="Separate tags with commas"
          {...form.register("tags")}
          error={errors.tags?.message}
        />
      </form>
    </Dialog>
  );
}
