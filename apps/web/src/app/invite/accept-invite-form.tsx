"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { FormError, TextField, setServerErrors, useZodForm } from "@tenantry/ui";
import { describeError } from "~/api-error";
import { useEffect, useState } from "react";
import { PASSWORD_MIN_LENGTH } from "@tenantry/tenancy/policies";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const INCOMPLETE = "This invitation link is incomplete. Open the full link you were sent.";

const schema = z
  .object({
    name: z.string().trim(),
    password: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`),
    confirm: z.string(),
  })
  // Only a long enough password is compared with its repetition.
  .refine((v) => v.password.length < PASSWORD_MIN_LENGTH || v.password === v.confirm, {
    path: ["confirm"],
    message: "The two passwords differ.",
  });

/** The server's words for a link that cannot be accepted (expired, revoked, used, invalid). */
const isInviteRefusal = (reason: string | null | undefined) =>
  typeof reason === "string" && reason.startsWith("INVITE_");

export function AcceptInviteForm() {
  const trpc = useTRPC();
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => {
    setToken(new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "");
  }, []);
  // A mutation, not a query: the token is a secret and stays out of URLs.
  const details = useMutation(trpc.auth.inviteDetails.mutationOptions());
  const { mutate: loadDetails } = details;
  useEffect(() => {
    if (token) loadDetails({ token });
  }, [token, loadDetails]);
  const accept = useMutation(trpc.auth.acceptInvite.mutationOptions());
  const form = useZodForm(schema, { defaultValues: { name: "", password: "", confirm: "" } });
  const { errors } = form.formState;
  const [refused, setRefused] = useState<string | null>(null);

  const submit = form.handleSubmit(async ({ name, password }) => {
    if (!token) return form.setError("root", { message: INCOMPLETE });
    try {
      await accept.mutateAsync({ token, password, ...(name ? { name } : {}) });
      // Signed in (the api set the session cookies): a full navigation so the app sees them.
      window.location.assign("/");
    } catch (err) {
      const info = describeError(err);
      if (isInviteRefusal(info.reason)) return setRefused(info.message);
      setServerErrors(form, info.fieldErrors);
      form.setError("root", {
        message:
          info.code === "NOT_FOUND" ||
          (info.code === "BAD_REQUEST" && Object.keys(info.fieldErrors).length === 0)
            ? "This invitation link is invalid or has expired. Ask for a new one."
            : info.message,
      });
    }
  });

  if (token === "") {
    return (
      <div className="form-error" role="alert">
        {INCOMPLETE}
      </div>
    );
  }
  const refusal =
    refused ??
    (details.isError
      ? isInviteRefusal(describeError(details.error).reason)
        ? details.error.message
        : describeError(details.error).message
      : null);
  if (refusal) {
    return (
      <div className="form-error" role="alert" data-testid="invite-refused">
        {refusal}
      </div>
    );
  }
  if (!details.data) return <p className="muted">Checking your invitation…</p>;
  const invite = details.data;
  return (
    <>
      {invite.existingAccount && token ? (
        <JoinWithAccount token={token} email={invite.email} onRefused={setRefused} />
      ) : null}
      <form className="form" onSubmit={submit} noValidate aria-label="Accept invitation">
        <p data-testid="invite-details">
          {invite.inviter ?? "An administrator"} invited <strong>{invite.email}</strong> to join{" "}
          <strong>{invite.organisation}</strong>. The invitation works until{" "}
          {new Date(invite.expiresAt).toLocaleString("en-GB", {
            dateStyle: "medium",
            timeStyle: "short",
          })}
          .
        </p>
        <FormError message={errors.root?.message} />
        <TextField label="Your name (optional)" {...form.register("name")} autoComplete="name" />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          {...form.register("password")}
          error={errors.password?.message}
          hint="At least 12 characters, mixing letters, digits or symbols."
        />
        <TextField
          label="Repeat password"
          type="password"
          autoComplete="new-password"
          {...form.register("confirm")}
          error={errors.confirm?.message}
        />
        <button type="submit" className="btn btn-primary" disabled={accept.isPending}>
          {accept.isPending ? <span className="spinner" aria-hidden /> : null}
          Set password and sign in
        </button>
      </form>
    </>
  );
}

/**
 * The invited email already has an account in another organisation. Signed in there with it: one
 * click joins (no new password). Signed out, or as someone else: how to get there.
 */
function JoinWithAccount({
  token,
  email,
  onRefused,
}: {
  token: string;
  email: string;
  onRefused: (message: string) => void;
}) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { retry: false }));
  const join = useMutation(trpc.auth.acceptInviteWithAccount.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  if (me.isPending) return null;
  const signedInAs = me.data?.user.email ?? null;

  async function joinNow() {
    try {
      await join.mutateAsync({ token });
      window.location.assign("/");
    } catch (err) {
      const info = describeError(err);
      if (isInviteRefusal(info.reason)) return onRefused(info.message);
      setError(info.message);
    }
  }

  if (signedInAs === email) {
    return (
      <section className="stack" data-testid="join-with-account" style={{ marginBottom: 16 }}>
        <p style={{ margin: 0 }}>
          You are signed in as <strong>{email}</strong> in {me.data?.tenant.name}.
        </p>
        <FormError message={error ?? undefined} />
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void joinNow()}
          disabled={join.isPending}
        >
          {join.isPending ? <span className="spinner" aria-hidden /> : null}
          Join with your existing account
        </button>
        <p className="muted small" style={{ margin: 0 }}>
          Or choose a password for this organisation below.
        </p>
      </section>
    );
  }
  return (
    <p className="muted" data-testid="join-with-account-hint">
      <strong>{email}</strong> already has an account in another organisation. To join with it
      instead of choosing a new password, <a href="/login">sign in</a> there, then open this
      invitation link again.
    </p>
  );
}
