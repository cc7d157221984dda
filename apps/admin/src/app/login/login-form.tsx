"use client";
import { useMutation } from "@tanstack/react-query";
import { FormError, TextField, describeApiError, setServerErrors, useZodForm } from "@tenantry/ui";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address."),
  password: z.string().min(1, "Enter your password."),
});

export function LoginForm({ next }: { next: string }) {
  const trpc = useTRPC();
  const form = useZodForm(schema, { defaultValues: { email: "", password: "" } });
  const { errors } = form.formState;
  const login = useMutation(trpc.auth.login.mutationOptions());

  const submit = form.handleSubmit(async (values) => {
    try {
      await login.mutateAsync(values);
      window.location.assign(next);
    } catch (err) {
      const info = describeApiError(err);
      setServerErrors(form, info.fieldErrors);
      form.setError("root", {
        message:
          info.reason === "INVALID_CREDENTIALS" || info.code === "UNAUTHORIZED"
            ? "Email or password is incorrect."
            : info.message,
      });
    }
  });

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Sign in">
      <FormError message={errors.root?.message} testId="login-error" />
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        {...form.register("email")}
        error={errors.email?.message}
        autoFocus
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        {...form.register("password")}
        error={errors.password?.message}
      />
      <button type="submit" className="btn btn-primary" disabled={login.isPending}>
        {login.isPending ? <span className="spinner" aria-hidden /> : null}
        Sign in
      </button>
    </form>
  );
}
