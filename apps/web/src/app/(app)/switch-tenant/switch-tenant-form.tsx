"use client";
import { SelectField, TextField, describeApiError } from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export function SwitchTenantForm({ tenants }: { tenants: { slug: string; name: string }[] }) {
  const [slug, setSlug] = useState(tenants[0]?.slug ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const sw = api.auth.switchTenant.useMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFieldErrors({});
    // Each organisation keeps its own password, so switching asks for that one.
    if (!password)
      return setFieldErrors({ password: "Enter your password for that organisation." });
    try {
      await sw.mutateAsync({ tenantSlug: slug, password });
      window.location.assign("/");
    } catch (err) {
      const info = describeApiError(err);
      if (info.reason === "TENANT_SUSPENDED") return setError("That organisation is suspended.");
      setFieldErrors(info.fieldErrors);
      setError(
        info.reason === "INVALID_CREDENTIALS" || info.code === "UNAUTHORIZED"
          ? "Password is incorrect for that organisation."
          : info.message,
      );
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Switch organisation">
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      <SelectField
        label="Organisation"
        value={slug}
        onChange={(e) => setSlug(e.target.value)}
        error={fieldErrors.tenantSlug}
      >
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
        hint="Your password in the organisation you switch to."
      />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={sw.isPending}>
          {sw.isPending ? <span className="spinner" aria-hidden /> : null}
          Switch
        </button>
      </div>
    </form>
  );
}
