"use client";
// The "Forgot password?" and "Set a new password" forms of both apps. Each app passes its own
// api call; the password rule comes from the app too (the one policy in tenancy/policies).
import Link from "next/link";
import { useEffect, useState } from "react";
import { z } from "zod";

import { describeApiError } from "./api-error";
import { FormError, TextField } from "./field";
import { setServerErrors, useZodForm } from "./form";

/** The outcome, and the way back to the sign-in page. */
function Done({ message, action, testId }: { message: string; action: string; testId?: string }) {
  return (
    <div className="stack">
      <div className="alert alert-ok" role="status" data-testid={testId}>
        {message}
      </div>
      <Link className="btn btn-primary" href="/login">
        {action}
      </Link>
    </div>
  );
}

const forgotSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address."),
});

function tooMany(retryAfterSeconds: unknown): string {
  const minutes =
    typeof retryAfterSeconds === "number" ? Math.max(1, Math.ceil(retryAfterSeconds / 60)) : null;
  return minutes
    ? `Too many reset requests. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`
    : "Too many reset requests. Try again later.";
}

/** Asks for the email; shows the api's answer, which is the same whether or not it has an account. */
export function ForgotPasswordForm({
  request,
}: {
  request: (email: string) => Promise<{ message: string }>;
}) {
  const form = useZodForm(forgotSchema, { defaultValues: { email: "" } });
  const { errors, isSubmitting } = form.formState;
  const [answer, setAnswer] = useState<string | null>(null);

  const submit = form.handleSubmit(async ({ email }) => {
    try {
      setAnswer((await request(email)).message);
    } catch (err) {
      const info = describeApiError(err);
      setServerErrors(form, info.fieldErrors);
      form.setError("root", {
        message:
          info.reason === "RATE_LIMITED" ? tooMany(info.data.retryAfterSeconds) : info.message,
      });
    }
  });

  if (answer) return <Done message={answer} testId="reset-requested" action="Back to sign in" />;
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Reset password">
      <FormError message={errors.root?.message} />
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        {...form.register("email")}
        error={errors.email?.message}
        autoFocus
      />
      <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
        {isSubmitting ? <span className="spinner" aria-hidden /> : null}
        Send reset link
      </button>
      <Link className="small" href="/login">
        Back to sign in
      </Link>
    </form>
  );
}

const INCOMPLETE = "This reset link is incomplete. Open the full link from the email.";

/** Reads the token from the link's fragment (`#token=…`) and sets the new password with it. */
export function ResetPasswordForm({
  reset,
  passwordProblem,
}: {
  reset: (token: string, password: string) => Promise<unknown>;
  /** The password policy (null when acceptable), so the form says what the api would. */
  passwordProblem: (password: string) => string | null;
}) {
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => {
    setToken(new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "");
  }, []);
  const schema = z.object({ password: z.string(), confirm: z.string() }).superRefine((v, ctx) => {
    const problem = passwordProblem(v.password);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
    else if (v.password !== v.confirm)
      ctx.addIssue({ code: "custom", path: ["confirm"], message: "The two passwords differ." });
  });
  const form = useZodForm(schema, { defaultValues: { password: "", confirm: "" } });
  const { errors, isSubmitting } = form.formState;
  const [done, setDone] = useState(false);

  const submit = form.handleSubmit(async ({ password }) => {
    if (!token) return form.setError("root", { message: INCOMPLETE });
    try {
      await reset(token, password);
      setDone(true);
    } catch (err) {
      const info = describeApiError(err);
      setServerErrors(form, info.fieldErrors);
      form.setError("root", { message: info.message });
    }
  });

  if (token === "") {
    return (
      <div className="form-error" role="alert">
        {INCOMPLETE}
      </div>
    );
  }
  if (done)
    return (
      <Done
        message="Your password is changed, and every other sign-in of yours has ended."
        action="Sign in"
      />
    );
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Set a new password">
      <FormError message={errors.root?.message} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        {...form.register("password")}
        error={errors.password?.message}
        hint="At least 12 characters, mixing letters, digits or symbols."
      />
      <TextField
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        {...form.register("confirm")}
        error={errors.confirm?.message}
      />
      <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
        {isSubmitting ? <span className="spinner" aria-hidden /> : null}
        Set new password
      </button>
    </form>
  );
}
