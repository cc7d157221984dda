"use client";
import { TextField, describeApiError, useToast } from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export function PasswordForm() {
  const toast = useToast();
  const change = api.auth.changePassword.useMutation();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!current) local.currentPassword = "Enter your current password.";
    if (next.length < 12) local.newPassword = "Use at least 12 characters.";
    else if (next !== confirm) local.confirm = "The two new passwords differ.";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      await change.mutateAsync({ currentPassword: current, newPassword: next });
      setCurrent("");
      setNext("");
      setConfirm("");
      toast.success("Password changed.");
    } catch (err) {
      const info = describeApiError(err);
      if (
        info.reason === "INVALID_CREDENTIALS" ||
        info.code === "UNAUTHORIZED" ||
        info.code === "FORBIDDEN"
      ) {
        setErrors({ currentPassword: "Current password is incorrect." });
      } else {
        setErrors(info.fieldErrors);
        if (Object.keys(info.fieldErrors).length === 0) toast.error(info.message);
      }
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Change password">
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={errors.currentPassword}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={errors.newPassword}
        hint="At least 12 characters, mixing letters, digits or symbols."
      />
      <TextField
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={errors.confirm}
      />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {change.isPending ? <span className="spinner" aria-hidden /> : null}
          Change password
        </button>
      </div>
    </form>
  );
}
