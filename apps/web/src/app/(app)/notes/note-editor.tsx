"use client";
import { Dialog, TextArea, TextField, describeApiError } from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export interface NoteDraft {
  id?: string;
  title: string;
  body: string;
  tags: string[];
}

function parseTags(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

export function NoteEditor({
  draft,
  onClose,
  onSaved,
}: {
  draft: NoteDraft;
  onClose: () => void;
  onSaved: (created: boolean) => void | Promise<void>;
}) {
  const [title, setTitle] = useState(draft.title);
  const [body, setBody] = useState(draft.body);
  const [tags, setTags] = useState(draft.tags.join(", "));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const create = api.notes.create.useMutation();
  const update = api.notes.update.useMutation();
  const busy = create.isPending || update.isPending;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    if (!title.trim()) return setErrors({ title: "Give the note a title." });
    const values = { title: title.trim(), body, tags: parseTags(tags) };
    try {
      if (draft.id) await update.mutateAsync({ id: draft.id, ...values });
      else await create.mutateAsync(values);
      await onSaved(!draft.id);
    } catch (err) {
      const info = describeApiError(err);
      setErrors(info.fieldErrors);
      setFormError(info.message);
    }
  }

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
        {formError ? (
          <div className="form-error" role="alert">
            {formError}
          </div>
        ) : null}
        <TextField
          label="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errors.title}
          maxLength={200}
          required
        />
        <TextArea
          label="Text"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          error={errors.body}
        />
        <TextField
          label="Tags"
          hint="Separate tags with commas"
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          error={errors.tags}
        />
      </form>
    </Dialog>
  );
}
