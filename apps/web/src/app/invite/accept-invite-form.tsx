"use client";
import { TextField, describeApiError } from "@tenantry/ui";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export function AcceptInviteForm() {
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => {
    setToken(new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "");
  }, []);
  const accept = api.auth.acceptInvite.useMutation();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const local: Record<string, string> = {};
    if (!token)
      return setFormError("This invitation link is incomplete. Open the full link you were sent.");
    if (password.length < 12) local.password = "Use at least 12 characters.";
    else if (password !== confirm) local.confirm = "The two passwords differ.";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      await accept.mutateAsync({ token, password, ...(name.trim() ? { name: name.trim() } : {}) });
      setDone(true);
    } catch (err) {
      const info = describeApiError(err);
      setErrors(info.fieldErrors);
      setFormError(
        info.code === "NOT_FOUND" ||
          (info.code === "BAD_REQUEST" && Object.keys(info.fieldErrors).length === 0)
          ? "This invitation link is invalid or has expired. Ask for a new one."
          : info.message,
      );
    }
  }

  if (token === "") {
    return (
      <div className="form-error" role="alert">
        This invitation link is incomplete. Open the full link you were sent.
      </div>
    );
  }
  if (done) {
    return (
      <div className="stack">
        <div className="alert alert-ok" role="status">
          Your account is ready.
        </div>
        <Link className="btn btn-primary" href="/login">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Accept invitation">
      {formError ? (
        <div className="form-error" role="alert">
          {formError}
        </div>
      ) : null}
      <TextField
        label="Your name (optional)"
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoComplete="name"
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hint="At least 12 characters, mixing letters, digits or symbols."
      />
      <TextField
        label="Repeat password"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={errors.confirm}
      />
      <button type="submit" className="btn btn-primary" disabled={accept.isPending}>
        {accept.isPending ? <span className="spinner" aria-hidden /> : null}
        Set password
      </button>
    </form>
  );
}
