"use client";
import { TextField, describeApiError } from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export function LoginForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const login = api.auth.login.useMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const local: Record<string, string> = {};
    if (!email.trim()) local.email = "Enter your email address.";
    if (!password) local.password = "Enter your password.";
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      await login.mutateAsync({ email: email.trim(), password });
      window.location.assign(next);
    } catch (err) {
      const info = describeApiError(err);
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
        autoComplete="username"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
        autoFocus
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      <button type="submit" className="btn btn-primary" disabled={login.isPending}>
        {login.isPending ? <span className="spinner" aria-hidden /> : null}
        Sign in
      </button>
    </form>
  );
}
