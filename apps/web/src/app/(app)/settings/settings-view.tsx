"use client";
import {
  ErrorState,
  Loading,
  PageHead,
  SelectField,
  TextField,
  describeApiError,
  useToast,
} from "@tenantry/ui";
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export function SettingsView() {
  const toast = useToast();
  const utils = api.useUtils();
  const settings = api.settings.get.useQuery();
  const update = api.settings.update.useMutation();
  const [displayName, setDisplayName] = useState("");
  const [weekStart, setWeekStart] = useState("monday");
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!settings.data) return;
    setDisplayName(settings.data.displayName ?? "");
    const prefs = settings.data.preferences ?? {};
    if (typeof prefs.weekStart === "string") setWeekStart(prefs.weekStart);
  }, [settings.data]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    if (!displayName.trim()) return setErrors({ displayName: "Enter a display name." });
    try {
      const prefs = settings.data?.preferences ?? {};
      await update.mutateAsync({
        displayName: displayName.trim(),
        preferences: { ...prefs, weekStart },
      });
      await utils.settings.get.invalidate();
      toast.success("Settings saved.");
    } catch (err) {
      const info = describeApiError(err);
      setErrors(info.fieldErrors);
      toast.error(info.message);
    }
  }

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
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            error={errors.displayName}
            maxLength={100}
          />
          <SelectField
            label="Week starts on"
            value={weekStart}
            onChange={(e) => setWeekStart(e.target.value)}
          >
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
