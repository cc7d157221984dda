"use client";
import { useMutation } from "@tanstack/react-query";
import { CopyField, Dialog, FormError, TextField, setServerErrors, useZodForm } from "@tenantry/ui";
import { API_KEY_NAME_MAX_LENGTH } from "@tenantry/tenancy/policies";
import { describeError } from "~/api-error";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the key after the program that will use it.")
    .max(API_KEY_NAME_MAX_LENGTH),
  scopes: z.array(z.string()).min(1, "Choose at least one scope."),
  expiresAt: z.string(),
});

/** Create a key, then show its secret this once: the server never returns it again. */
export function CreateKeyDialog({
  scopes,
  onClose,
  onCreated,
}: {
  scopes: string[];
  onClose: () => void;
  onCreated: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const form = useZodForm(schema, { defaultValues: { name: "", scopes: [], expiresAt: "" } });
  const { errors } = form.formState;
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation(trpc.keys.create.mutationOptions());

  const submit = form.handleSubmit(async ({ name, scopes, expiresAt }) => {
    try {
      const res = await create.mutateAsync({ name, scopes, ...(expiresAt ? { expiresAt } : {}) });
      setCreated({ name: res.key.name, secret: res.secret });
      await onCreated();
    } catch (err) {
      const info = describeError(err);
      setServerErrors(form, info.fieldErrors);
      form.setError("root", { message: info.message });
    }
  });

  if (created) {
    return (
      <Dialog
        open
        title="API key created"
        onClose={onClose}
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose}>
            I have stored it
          </button>
        }
      >
        <p data-testid="key-once-note">
          Copy the key for {created.name} now: this is the only time it is shown. Tenantry keeps
          only a hash of it.
        </p>
        <CopyField label="API key" value={created.secret} what="key" testId="new-key-secret" />
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      title="Create API key"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="key-form"
            className="btn btn-primary"
            disabled={create.isPending}
          >
            {create.isPending ? <span className="spinner" aria-hidden /> : null}
            Create key
          </button>
        </>
      }
    >
      <form id="key-form" className="form" onSubmit={submit} noValidate>
        <FormError message={errors.root?.message} />
        <TextField
          label="Name"
          {...form.register("name")}
          error={errors.name?.message}
          autoComplete="off"
          hint="Which program uses it, e.g. “nightly export”."
        />
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">Scopes</legend>
          {scopes.map((s) => (
            <label key={s} className="row">
              <input type="checkbox" value={s} {...form.register("scopes")} /> {s}
            </label>
          ))}
          {errors.scopes?.message ? (
            <span className="error" role="alert">
              {errors.scopes.message}
            </span>
          ) : null}
        </fieldset>
        <TextField
          label="Expires on (optional)"
          type="date"
          {...form.register("expiresAt")}
          error={errors.expiresAt?.message}
          hint="The key stops working after this day (UTC). Leave empty for no expiry."
        />
      </form>
    </Dialog>
  );
}
