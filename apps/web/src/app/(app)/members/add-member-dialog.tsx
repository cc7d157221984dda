"use client";
import { useMutation } from "@tanstack/react-query";
import {
  CopyField,
  Dialog,
  FormError,
  SelectField,
  TextField,
  setServerErrors,
  useToast,
  useZodForm,
} from "@tenantry/ui";
import { PASSWORD_MIN_LENGTH, isValidEmail, normalizeEmailText } from "@tenantry/tenancy/policies";
import { describeError } from "~/api-error";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

type Role = "owner" | "admin" | "member";

const schema = z
  .object({
    email: z
      .string()
      .trim()
      .refine((email) => isValidEmail(normalizeEmailText(email)), "Enter a valid email address."),
    name: z.string().trim().min(1, "Enter the member's name."),
    role: z.enum(["owner", "admin", "member"]),
    mode: z.enum(["invite", "password"]),
    password: z.string(),
  })
  .refine((v) => v.mode !== "password" || v.password.length >= PASSWORD_MIN_LENGTH, {
    path: ["password"],
    message: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  });

export function AddMemberDialog({
  roles,
  onClose,
  onAdded,
}: {
  roles: readonly Role[];
  onClose: () => void;
  onAdded: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const form = useZodForm(schema, {
    defaultValues: { email: "", name: "", role: "member", mode: "invite", password: "" },
  });
  const { errors } = form.formState;
  const mode = form.watch("mode");
  const [invited, setInvited] = useState<{
    email: string;
    url: string;
    expiresAt: Date | null;
    emailed: boolean;
  } | null>(null);
  const create = useMutation(trpc.members.create.mutationOptions());

  const submit = form.handleSubmit(async ({ email, name, role, mode, password }) => {
    try {
      const res = await create.mutateAsync({
        email,
        name,
        role,
        ...(mode === "password" ? { password } : {}),
      });
      await onAdded();
      if (res && "inviteUrl" in res && typeof res.inviteUrl === "string") {
        setInvited({
          email,
          url: res.inviteUrl,
          expiresAt: res.inviteExpiresAt ? new Date(res.inviteExpiresAt) : null,
          emailed: res.emailed,
        });
      } else {
        toast.success(`${email} can now sign in.`);
        onClose();
      }
    } catch (err) {
      const info = describeError(err);
      setServerErrors(form, info.fieldErrors);
      form.setError("root", { message: info.message });
    }
  });

  if (invited) {
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
        <p data-testid="invite-note">
          {invited.emailed
            ? `An invitation is on its way to ${invited.email}. You can also pass on this one-time link yourself`
            : `No email could be sent: send this one-time link to ${invited.email} yourself`}
          . It lets them choose a password and sign in
          {invited.expiresAt
            ? `, until ${invited.expiresAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}`
            : ""}
          .
        </p>
        <CopyField label="Invite link" value={invited.url} what="link" testId="invite-url" />
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
        <FormError message={errors.root?.message} />
        <TextField
          label="Email"
          type="email"
          {...form.register("email")}
          error={errors.email?.message}
          autoComplete="off"
        />
        <TextField
          label="Name"
          {...form.register("name")}
          error={errors.name?.message}
          autoComplete="off"
        />
        <SelectField label="Role" {...form.register("role")} error={errors.role?.message}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">How will they sign in?</legend>
          <label className="row">
            <input type="radio" value="invite" {...form.register("mode")} /> Send a one-time invite
            link
          </label>
          <label className="row">
            <input type="radio" value="password" {...form.register("mode")} /> Set an initial
            password
          </label>
        </fieldset>
        {mode === "password" ? (
          <TextField
            label="Initial password"
            type="password"
            autoComplete="new-password"
            {...form.register("password")}
            error={errors.password?.message}
            hint="At least 12 characters, mixing letters, digits or symbols. Ask them to change it after signing in."
          />
        ) : null}
      </form>
    </Dialog>
  );
}
