"use client";
import {
  ErrorState,
  Loading,
  PageHead,
  SelectField,
  TextField,
  describeApiError,
  setServerErrors,
  useToast,
  useZodForm,
} from "@tenantry/ui";
import { useEffect } from "react";
import { z } from "zod";
import { api } from "~/trpc/react";

const schema = z.object({
  displayName: z.string().trim().min(1, "Enter a display name."),
  weekStart: z.string(),
});

export function SettingsView() {
  const toast = useToast();
  const utils = api.useUtils();
  const settings = api.settings.get.useQuery();
  const update = api.settings.update.useMutation();
  const form = useZodForm(schema, { defaultValues: { displayName: "", weekStart: "monday" } });
  const { errors } = form.formState;
  const { reset } = form;

  // The saved settings replace the form's values whenever they (re)load.
  useEffect(() => {
    if (!settings.data) return;
    const prefs = settings.data.preferences ?? {};
    reset({
      displayName: settings.data.displayName ?? "",
      weekStart: typeof prefs.weekStart === "string" ? prefs.weekStart : "monday",
    });
  }, [settings.data, reset]);

  const submit = form.handleSubmit(async ({ displayName, weekStart }) => {
    try {
      const prefs = settings.data?.preferences ?? {};
      await update.mutateAsync({ displayName, preferences: { ...prefs, weekStart } });
      await utils.settings.get.invalidate();
      toast.success("Settings saved.");
    } catch (err) {
      const info = describeApiError(err);
      setServerErrors(form, info.fieldErrors);
      toast.error(info.message);
    }
  });

  return (
    <>
      <PageHead title="Settings" subtitle="How your organisation appears to its members." />
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorState message={describeApiError(settings.error).message} />
      ) : (
        <form className="card form" style={{ maxWidth: 560 }} onSubmit={submit} noValidate>
          <TextField
            label="Display name"
            {...form.register("displayName")}
            error={errors.displayName?.message}
            maxLength={100}
          />
          <SelectField label="Week starts on" {...form.register("weekStart")}>
            <option value="monday">Monday</option>
            <option value="sunday">Sunday</option>
          </SelectField>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={update.isPending}>
              {update.isPending ? <span className="spinner" aria-hidden /> : null}
              Save settings
            </button>
          </div>
        </form>
      )}
    </>
  );
}
