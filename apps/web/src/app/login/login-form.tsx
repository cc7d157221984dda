"use client";
import { TextField, describeApiError } from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

interface Props {
  next: string;
  initialTenant?: string | undefined;
}

export function LoginForm({ next, initialTenant }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [choices, setChoices] = useState<{ slug: string; name: string }[] | null>(null);
  const [tenantSlug, setTenantSlug] = useState<string | undefined>(initialTenant);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const login = api.auth.login.useMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setFieldErrors({});
    const local: Record<string, string> = {};
    if (!email.trim()) local.email = "Enter your email address.";
    if (!password) local.password = "Enter your password.";
    if (choices && !tenantSlug) local.tenantSlug = "Choose an organisation.";
    if (Object.keys(local).length > 0) return setFieldErrors(local);
    try {
      const res = await login.mutateAsync({
        email: email.trim(),
        password,
        ...(choices && tenantSlug ? { tenantSlug } : {}),
      });
      if (res.status === "chooseTenant") {
        setChoices(res.tenants);
        setTenantSlug(res.tenants[0]?.slug);
        return;
      }
      // Full navigation so server components see the new cookies.
      window.location.assign(next);
    } catch (err) {
      const info = describeApiError(err);
      if (info.reason === "TENANT_SUSPENDED") {
        const why = typeof info.data.suspendedReason === "string" ? info.data.suspendedReason : "";
        window.location.assign(`/suspended${why ? `?reason=${encodeURIComponent(why)}` : ""}`);
        return;
      }
      setFieldErrors(info.fieldErrors);
      setFormError(
        info.reason === "INVALID_CREDENTIALS" || info.code === "UNAUTHORIZED"
          ? "Email or password is incorrect."
          : info.message,
      );
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Sign in">
      {formError ? (
        <div className="form-error" role="alert" data-testid="login-error">
          {formError}
        </div>
      ) : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        value={email}
        onChange={(e) => {
          setEmail(e.target.value);
          setChoices(null);
        }}
        error={fieldErrors.email}
        autoFocus
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      {choices ? (
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">
            Your email belongs to several organisations. Choose one:
          </legend>
          <div className="stack" style={{ gap: 6, marginTop: 6 }} data-testid="tenant-picker">
            {choices.map((t) => (
              <label
                key={t.slug}
                className="row card"
                style={{ padding: "10px 12px", cursor: "pointer" }}
              >
                <input
                  type="radio"
                  name="tenant"
                  value={t.slug}
                  checked={tenantSlug === t.slug}
                  onChange={() => setTenantSlug(t.slug)}
                />
                <span>
                  <strong>{t.name}</strong> <span className="muted small">{t.slug}</span>
                </span>
              </label>
            ))}
          </div>
          {fieldErrors.tenantSlug ? (
            <span className="error" role="alert">
              {fieldErrors.tenantSlug}
            </span>
          ) : null}
        </fieldset>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={login.isPending}>
        {login.isPending ? <span className="spinner" aria-hidden /> : null}
        {choices ? "Continue" : "Sign in"}
      </button>
    </form>
  );
}
