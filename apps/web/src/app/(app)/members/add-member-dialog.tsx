"use client";
import { Dialog, SelectField, TextField, describeApiError, useToast } from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

type Role = "owner" | "admin" | "member";

export function AddMemberDialog({
  roles,
  onClose,
  onAdded,
}: {
  roles: readonly Role[];
  onClose: () => void;
  onAdded: () => Promise<void>;
}) {
  const toast = useToast();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [mode, setMode] = useState<"invite" | "password">("invite");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [inviteUrl, setInviteUrl] = useState<string | null>(null);
  const create = api.members.create.useMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    const local: Record<string, string> = {};
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) local.email = "Enter a valid email address.";
    if (!name.trim()) local.name = "Enter the member's name.";
    if (mode === "password" && password.length < 12) local.password = "Use at least 12 characters.";
    if (Object.keys(local).length > 0) return setErrors(local);
    try {
      const res = await create.mutateAsync({
        email: email.trim(),
        name: name.trim(),
        role,
        ...(mode === "password" ? { password } : {}),
      });
      await onAdded();
      if (res && "inviteUrl" in res && typeof res.inviteUrl === "string") {
        setInviteUrl(res.inviteUrl);
      } else {
        toast.success(`${email.trim()} can now sign in.`);
        onClose();
      }
    } catch (err) {
      const info = describeApiError(err);
      setErrors(info.fieldErrors);
      setFormError(info.message);
    }
  }

  if (inviteUrl) {
    return (
      <Dialog
        open
        title="Invitation created"
        onClose={onClose}
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p>Send this one-time link to {email}. It lets them choose a password and sign in.</p>
        <TextField
          label="Invite link"
          readOnly
          value={inviteUrl}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="invite-url"
        />
        <button
          type="button"
          className="btn btn-sm"
          style={{ marginTop: 8 }}
          onClick={() =>
            void navigator.clipboard?.writeText(inviteUrl).then(
              () => toast.success("Link copied."),
              () => toast.error("Copy failed; select the link and copy it."),
            )
          }
        >
          Copy link
        </button>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      title="Add member"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="member-form"
            className="btn btn-primary"
            disabled={create.isPending}
          >
            {create.isPending ? <span className="spinner" aria-hidden /> : null}
            {mode === "invite" ? "Create invite" : "Create member"}
          </button>
        </>
      }
    >
      <form id="member-form" className="form" onSubmit={submit} noValidate>
        {formError ? (
          <div className="form-error" role="alert">
            {formError}
          </div>
        ) : null}
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
          autoComplete="off"
        />
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          autoComplete="off"
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          error={errors.role}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">How will they sign in?</legend>
          <label className="row">
            <input
              type="radio"
              name="mode"
              checked={mode === "invite"}
              onChange={() => setMode("invite")}
            />{" "}
            Send a one-time invite link
          </label>
          <label className="row">
            <input
              type="radio"
              name="mode"
              checked={mode === "password"}
              onChange={() => setMode("password")}
            />{" "}
            Set an initial password
          </label>
        </fieldset>
        {mode === "password" ? (
          <TextField
            label="Initial password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            hint="At least 12 characters, mixing letters, digits or symbols. Ask them to change it after signing in."
          />
        ) : null}
      </form>
    </Dialog>
  );
}
