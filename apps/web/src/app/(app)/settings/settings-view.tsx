"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ErrorState,
  Loading,
  PageHead,
  TextField,
  setServerErrors,
  useToast,
  useZodForm,
} from "@tenantry/ui";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { z } from "zod";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";
import { RequireTwoFactorSetting } from "./require-two-factor";

const schema = z.object({
  displayName: z.string().trim().min(1, "Enter a display name."),
  requireOwnSignIn: z.boolean(),
});

const SUBTITLE = "How your organisation appears to its members.";

export function SettingsView({ canEdit, tenantName }: { canEdit: boolean; tenantName: string }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.settings.get.queryOptions());
  return (
    <>
      <PageHead title="Settings" subtitle={SUBTITLE} />
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorState message={describeError(settings.error).message} />
      ) : canEdit ? (
        <div className="stack">
          <SettingsForm
            displayName={settings.data.displayName}
            requireOwnSignIn={settings.data.requireOwnSignIn}
          />
          <RequireTwoFactorSetting required={settings.data.requireTwoFactor} />
        </div>
      ) : (
        <section className="card" style={{ maxWidth: 560 }} data-testid="settings-read-only">
          <dl className="kv">
            <dt>Display name</dt>
            <dd>{settings.data.displayName}</dd>
            <dt>Own sign-in</dt>
            <dd>
              {settings.data.requireOwnSignIn
                ? "Switching in from another organisation asks for this organisation's password"
                : "Members switch in from their other organisations without a password"}
            </dd>
          </dl>
          <p className="muted small" style={{ marginBottom: 0 }}>
            Only owners and admins of {tenantName} can change these settings.
          </p>
        </section>
      )}
    </>
  );
}

function SettingsForm({
  displayName,
  requireOwnSignIn,
}: {
  displayName: string;
  requireOwnSignIn: boolean;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const router = useRouter();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.settings.update.mutationOptions());
  const form = useZodForm(schema, { defaultValues: { displayName, requireOwnSignIn } });
  const { errors } = form.formState;
  const { reset } = form;

  // The saved settings replace the form's values whenever they (re)load.
  useEffect(() => reset({ displayName, requireOwnSignIn }), [displayName, requireOwnSignIn, reset]);

  const submit = form.handleSubmit(async (values) => {
    try {
      await update.mutateAsync(values);
      await queryClient.invalidateQueries(trpc.settings.get.pathFilter());
      toast.success("Settings saved.");
      // The shell (server-rendered) shows the display name: re-render it.
      router.refresh();
    } catch (err) {
      const info = describeError(err);
      setServerErrors(form, info.fieldErrors);
      toast.error(info.message);
    }
  });

  return (
    <form className="card form" style={{ maxWidth: 560 }} onSubmit={submit} noValidate>
      <TextField
        label="Display name"
        hint="Shown at the top of the sidebar for everyone in the organisation."
        {...form.register("displayName")}
        error={errors.displayName?.message}
        maxLength={100}
      />
      <div className="field">
        <label className="row">
          <input type="checkbox" {...form.register("requireOwnSignIn")} /> Require this
          organisation&apos;s own sign-in
        </label>
        <span className="hint">
          Members who also belong to other organisations normally switch here in one click. When
          this is on, switching in asks for their password in this organisation.
        </span>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={update.isPending}>
          {update.isPending ? <span className="spinner" aria-hidden /> : null}
          Save settings
        </button>
      </div>
    </form>
  );
}
