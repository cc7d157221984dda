"use client";
import { useMutation } from "@tanstack/react-query";
import {
  FormError,
  SecondFactorForm,
  TextField,
  describeApiError,
  setServerErrors,
  useZodForm,
} from "@tenantry/ui";
import { useState } from "react";
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
  // Set when the password was right and the account has a second factor: the code step.
  const [challenge, setChallenge] = useState<string | null>(null);
  const secondFactor = useMutation(trpc.auth.loginSecondFactor.mutationOptions());

  const submit = form.handleSubmit(async (values) => {
    try {
      const res = await login.mutateAsync(values);
      if (res.status === "secondFactor") {
        setChallenge(res.challenge);
        return;
      }
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

  if (challenge)
    return (
      <SecondFactorForm
        submit={async (code) => {
          await secondFactor.mutateAsync({ challenge, code });
          window.location.assign(next);
        }}
        onRestart={() => {
          setChallenge(null);
          form.setValue("password", "");
          form.setError("root", { message: "Sign in again to continue." });
        }}
      />
    );

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
