"use client";
import { useMutation } from "@tanstack/react-query";
import { FormError, SecondFactorForm, TextField, setServerErrors, useZodForm } from "@tenantry/ui";
import { describeError } from "~/api-error";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

interface Props {
  next: string;
  initialTenant?: string | undefined;
}

const schema = z
  .object({
    email: z.string().trim().min(1, "Enter your email address."),
    password: z.string().min(1, "Enter your password."),
    tenantSlug: z.string().optional(),
    // True once the api answered that the email belongs to several organisations.
    choosing: z.boolean(),
  })
  .refine((v) => !v.choosing || Boolean(v.tenantSlug), {
    path: ["tenantSlug"],
    message: "Choose an organisation.",
  });

/** The lock-out in minutes a person can plan with, not raw seconds. */
function rateLimited(retryAfterSeconds: unknown): string {
  if (typeof retryAfterSeconds !== "number") return "Too many sign-in attempts. Try again later.";
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export function LoginForm({ next, initialTenant }: Props) {
  const trpc = useTRPC();
  const [choices, setChoices] = useState<{ slug: string; name: string }[] | null>(null);
  // Set when the password was right and the account has a second factor: the code step.
  const [challenge, setChallenge] = useState<string | null>(null);
  const secondFactor = useMutation(trpc.auth.loginSecondFactor.mutationOptions());
  const form = useZodForm(schema, {
    defaultValues: { email: "", password: "", tenantSlug: initialTenant, choosing: false },
  });
  const { errors } = form.formState;
  const login = useMutation(trpc.auth.login.mutationOptions());

  const submit = form.handleSubmit(async ({ email, password, tenantSlug, choosing }) => {
    try {
      const res = await login.mutateAsync({
        email,
        password,
        ...(choosing && tenantSlug ? { tenantSlug } : {}),
      });
      if (res.status === "chooseTenant") {
        setChoices(res.tenants);
        form.setValue("tenantSlug", res.tenants[0]?.slug);
        form.setValue("choosing", true);
        return;
      }
      if (res.status === "secondFactor") {
        setChallenge(res.challenge);
        return;
      }
      // Full navigation so server components see the new cookies.
      window.location.assign(next);
    } catch (err) {
      const info = describeError(err);
      if (info.reason === "TENANT_SUSPENDED") {
        const why = typeof info.data.suspendedReason === "string" ? info.data.suspendedReason : "";
        // ?reason= (even empty) tells the page the api refused this sign-in for the suspension.
        window.location.assign(`/suspended?reason=${encodeURIComponent(why)}`);
        return;
      }
      setServerErrors(form, info.fieldErrors);
      form.setError("root", {
        message:
          info.reason === "INVALID_CREDENTIALS" || info.code === "UNAUTHORIZED"
            ? "Email or password is incorrect."
            : info.reason === "RATE_LIMITED"
              ? rateLimited(info.data.retryAfterSeconds)
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
        {...form.register("email", {
          onChange: () => {
            setChoices(null);
            form.setValue("choosing", false);
          },
        })}
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
                <input type="radio" value={t.slug} {...form.register("tenantSlug")} />
                <span>
                  <strong>{t.name}</strong> <span className="muted small">{t.slug}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.tenantSlug ? (
            <span className="error" role="alert">
              {errors.tenantSlug.message}
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
