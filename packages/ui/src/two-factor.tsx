"use client";
// Two-factor sign-in screens of both apps: the set-up panel (QR code and manual key, a first code
// to confirm, the recovery codes shown once, turning it off) and the code step of the sign-in.
// Each app passes its own api calls.
import { useState } from "react";
import { z } from "zod";

import { describeApiError } from "./api-error";
import { FormError, TextField } from "./field";
import { setServerErrors, useZodForm } from "./form";
import { useToast } from "./toast";

export interface TwoFactorStatusView {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export interface TwoFactorEnrolment {
  manualKey: string;
  qrCodeDataUrl: string;
}

export interface TwoFactorPanelProps {
  status: TwoFactorStatusView | undefined;
  begin: () => Promise<TwoFactorEnrolment>;
  confirm: (code: string) => Promise<{ recoveryCodes: string[] }>;
  disable: (proof: { code: string } | { password: string }) => Promise<unknown>;
  /** Called once the recovery codes were acknowledged (to refetch, or move on). */
  onEnrolled?: () => void;
  onDisabled?: () => void;
}

const codeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{3}\s?\d{3}$/, "Enter the 6-digit code from your authenticator app."),
});

/** A 6-digit code, or a recovery code ("ABCD-EFGH-IJKL-MNOP"). */
const looksLikeCode = (v: string) =>
  /^\d{3}\s?\d{3}$/.test(v.trim()) || /^[A-Za-z2-7]{4}(-?[A-Za-z2-7]{4}){3}$/.test(v.trim());

function codeError(err: unknown): string {
  const info = describeApiError(err);
  if (info.reason === "TWO_FACTOR_CODE_INVALID")
    return "That code is not right. Enter the current code from your authenticator app.";
  if (info.reason === "RATE_LIMITED") return "Too many attempts. Try again in a few minutes.";
  return info.message;
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="stack">
      <div className="alert alert-ok" role="status">
        Two-factor sign-in is on. Save these recovery codes somewhere safe: each one signs you in
        once if you lose your phone. They are shown only now.
      </div>
      <ol className="mono" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <div className="row">
        <button
          type="button"
          className="btn"
          onClick={() => void navigator.clipboard?.writeText(codes.join("\n"))}
        >
          Copy codes
        </button>
        <button type="button" className="btn btn-primary" onClick={onDone}>
          I have saved these codes
        </button>
      </div>
    </div>
  );
}

function ConfirmEnrolment({
  enrolment,
  confirm,
  onConfirmed,
}: {
  enrolment: TwoFactorEnrolment;
  confirm: TwoFactorPanelProps["confirm"];
  onConfirmed: (codes: string[]) => void;
}) {
  const form = useZodForm(codeSchema, { defaultValues: { code: "" } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async ({ code }) => {
    try {
      onConfirmed((await confirm(code.replace(/\s/g, ""))).recoveryCodes);
    } catch (err) {
      if (setServerErrors(form, describeApiError(err).fieldErrors) === 0)
        form.setError("code", { message: codeError(err) });
    }
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Confirm two-factor sign-in">
      <p>
        Scan this QR code with an authenticator app (such as 1Password, Google Authenticator or
        Authy), then enter the 6-digit code it shows.
      </p>
      {/* A data URL the api rendered: next/image would add nothing for it. */}
      <img
        src={enrolment.qrCodeDataUrl}
        width={220}
        height={220}
        alt="QR code for your authenticator app"
        data-testid="two-factor-qr"
      />
      <p className="small muted">
        Cannot scan it? Enter this key in the app instead:{" "}
        <code data-testid="two-factor-manual-key">{enrolment.manualKey}</code>
      </p>
      <TextField
        label="Authentication code"
        inputMode="numeric"
        autoComplete="one-time-code"
        {...form.register("code")}
        error={errors.code?.message}
      />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
          {isSubmitting ? <span className="spinner" aria-hidden /> : null}
          Turn on two-factor sign-in
        </button>
      </div>
    </form>
  );
}

const disableSchema = z.object({
  proof: z.string().trim().min(1, "Enter a code from your app, or your password."),
});

function DisableForm({
  disable,
  onDisabled,
}: {
  disable: TwoFactorPanelProps["disable"];
  onDisabled: () => void;
}) {
  const toast = useToast();
  const form = useZodForm(disableSchema, { defaultValues: { proof: "" } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async ({ proof }) => {
    try {
      await disable(looksLikeCode(proof) ? { code: proof } : { password: proof });
      form.reset();
      toast.success("Two-factor sign-in is off.");
      onDisabled();
    } catch (err) {
      const info = describeApiError(err);
      form.setError("proof", {
        message:
          info.reason === "TWO_FACTOR_CODE_INVALID"
            ? "That code or password is not right."
            : codeError(err),
      });
    }
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Turn off two-factor sign-in">
      <TextField
        label="Code or password"
        type="password"
        autoComplete="off"
        hint="A code from your authenticator app, a recovery code, or your password."
        {...form.register("proof")}
        error={errors.proof?.message}
      />
      <div className="row">
        <button type="submit" className="btn btn-danger" disabled={isSubmitting}>
          {isSubmitting ? <span className="spinner" aria-hidden /> : null}
          Turn off two-factor sign-in
        </button>
      </div>
    </form>
  );
}

/** The "Two-factor authentication" section: set up, confirm, recovery codes once, turn off. */
export function TwoFactorPanel(props: TwoFactorPanelProps) {
  const { status } = props;
  const toast = useToast();
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [starting, setStarting] = useState(false);

  if (codes)
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          setEnrolment(null);
          props.onEnrolled?.();
        }}
      />
    );
  if (!status) return <p className="muted">Loading…</p>;
  if (status.enabled)
    return (
      <div className="stack" data-testid="two-factor-on">
        <p>
          <strong>On</strong>
          {status.enabledAt
            ? ` since ${new Date(status.enabledAt).toLocaleDateString()}`
            : ""}. {status.recoveryCodesLeft} recovery code
          {status.recoveryCodesLeft === 1 ? "" : "s"} left.
        </p>
        <DisableForm disable={props.disable} onDisabled={() => props.onDisabled?.()} />
      </div>
    );
  if (enrolment)
    return (
      <ConfirmEnrolment enrolment={enrolment} confirm={props.confirm} onConfirmed={setCodes} />
    );
  return (
    <div className="stack" data-testid="two-factor-off">
      <p className="muted">
        Off. With two-factor sign-in, signing in also takes a code from an app on your phone.
      </p>
      <div className="row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={starting}
          onClick={() => {
            setStarting(true);
            props
              .begin()
              .then(setEnrolment, (err: unknown) => toast.error(describeApiError(err).message))
              .finally(() => setStarting(false));
          }}
        >
          {starting ? <span className="spinner" aria-hidden /> : null}
          Set up two-factor sign-in
        </button>
      </div>
    </div>
  );
}

const stepSchema = z.object({
  code: z
    .string()
    .trim()
    .refine(looksLikeCode, "Enter the 6-digit code from your app, or a recovery code."),
});

/** The sign-in's second step: a code from the app (or a recovery code) for the challenge. */
export function SecondFactorForm({
  submit: send,
  onRestart,
}: {
  submit: (code: string) => Promise<void>;
  /** The challenge expired: back to email and password. */
  onRestart: () => void;
}) {
  const form = useZodForm(stepSchema, { defaultValues: { code: "" } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async ({ code }) => {
    try {
      await send(code.replace(/\s/g, ""));
    } catch (err) {
      const info = describeApiError(err);
      if (info.reason === "TWO_FACTOR_CHALLENGE_INVALID") {
        onRestart();
        return;
      }
      form.setError("root", { message: codeError(err) });
    }
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Two-factor sign-in">
      <FormError message={errors.root?.message} testId="login-error" />
      <p>Enter the 6-digit code from your authenticator app.</p>
      <TextField
        label="Authentication code"
        inputMode="numeric"
        autoComplete="one-time-code"
        hint="Lost your phone? Enter one of your recovery codes instead."
        {...form.register("code")}
        error={errors.code?.message}
        autoFocus
      />
      <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
        {isSubmitting ? <span className="spinner" aria-hidden /> : null}
        Verify
      </button>
      <button type="button" className="btn btn-ghost small" onClick={onRestart}>
        Start over
      </button>
    </form>
  );
}
