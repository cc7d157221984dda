"use client";
import { useMutation } from "@tanstack/react-query";
import { PASSWORD_MIN_LENGTH } from "@tenantry/tenancy/policies";
import { TextField, setServerErrors, useToast, useZodForm } from "@tenantry/ui";
import { describeError } from "~/api-error";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password."),
    newPassword: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`),
    confirm: z.string(),
  })
  // Only a long enough new password is compared with its repetition.
  .refine((v) => v.newPassword.length < PASSWORD_MIN_LENGTH || v.newPassword === v.confirm, {
    path: ["confirm"],
    message: "The two new passwords differ.",
  });

export function PasswordForm() {
  const trpc = useTRPC();
  const toast = useToast();
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const form = useZodForm(schema, {
    defaultValues: { currentPassword: "", newPassword: "", confirm: "" },
  });
  const { errors } = form.formState;

  const submit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    try {
      await change.mutateAsync({ currentPassword, newPassword });
      form.reset();
      toast.success("Password changed.");
    } catch (err) {
      const info = describeError(err);
      if (
        info.reason === "INVALID_CREDENTIALS" ||
        info.code === "UNAUTHORIZED" ||
        info.code === "FORBIDDEN"
      ) {
        form.setError("currentPassword", { message: "Current password is incorrect." });
      } else if (setServerErrors(form, info.fieldErrors) === 0) {
        toast.error(info.message);
      }
    }
  });

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Change password">
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        {...form.register("currentPassword")}
        error={errors.currentPassword?.message}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        {...form.register("newPassword")}
        error={errors.newPassword?.message}
        hint="At least 12 characters, mixing letters, digits or symbols."
      />
      <TextField
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        {...form.register("confirm")}
        error={errors.confirm?.message}
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
