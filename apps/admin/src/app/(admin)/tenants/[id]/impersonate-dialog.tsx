"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import {
  Dialog,
  SelectField,
  TextField,
  describeApiError,
  setServerErrors,
  useZodForm,
} from "@tenantry/ui";
import { useRef, useState } from "react";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z
  .object({
    userEmail: z.string().min(1, "Pick the member to sign in as."),
    reason: z.string().trim().min(3, "Say why; it goes into the audit log."),
    write: z.boolean(),
    writeReason: z.string().trim(),
  })
  .refine((v) => !v.write || v.writeReason.length >= 3, {
    path: ["writeReason"],
    message: "Say why changes are needed; it goes into the audit log.",
  });

/** Only an active member can be signed in as: the picker lists those (the first 200). */
const PICKABLE = { status: "active" as const, limit: 200 };

/**
 * Gets a short-lived token for a member picked from the organisation's active members, then posts it to the web app in a new tab; the
 * web app turns it into its session cookie and shows the impersonation banner. The session is
 * read-only unless write access is asked for, with its own reason (both go into the audit logs).
 */
export function ImpersonateDialog({
  tenantId,
  webUrl,
  onClose,
}: {
  tenantId: string;
  webUrl: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const form = useZodForm(schema, {
    defaultValues: { userEmail: "", reason: "", write: false, writeReason: "" },
  });
  const { errors } = form.formState;
  const write = form.watch("write");
  const [token, setToken] = useState<string | null>(null);
  const handoff = useRef<HTMLFormElement>(null);
  const start = useMutation(trpc.impersonate.start.mutationOptions());
  const members = useQuery(trpc.tenants.members.queryOptions({ id: tenantId, ...PICKABLE }));
  const pickable = members.data?.members ?? [];

  const submit = form.handleSubmit(async (values) => {
    try {
      const res = await start.mutateAsync({
        tenantId,
        userEmail: values.userEmail,
        reason: values.reason,
        ...(values.write ? { writeAccess: { reason: values.writeReason } } : {}),
      });
      setToken(res.accessToken);
      // Let React render the hidden form with the token, then submit it.
      setTimeout(() => handoff.current?.submit(), 0);
    } catch (err) {
      const info = describeApiError(err);
      const placed = setServerErrors(form, info.fieldErrors, {
        "writeAccess.reason": "writeReason",
      });
      if (placed === 0) form.setError("userEmail", { type: "server", message: info.message });
    }
  });

  return (
    <Dialog
      open
      title="Impersonate a user"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Close
          </button>
          <button
            type="submit"
            form="impersonate-form"
            className="btn btn-primary"
            disabled={start.isPending}
          >
            {start.isPending ? <span className="spinner" aria-hidden /> : null}
            Open web app as this user
          </button>
        </>
      }
    >
      <form id="impersonate-form" className="form" onSubmit={submit} noValidate>
        <p className="muted">
          Opens the tenant app in a new tab, signed in as the user for a short time. The session is
          marked, audited and read-only unless you ask for write access.
        </p>
        <SelectField
          label="Member"
          {...form.register("userEmail")}
          error={
            errors.userEmail?.message ??
            (members.isError ? describeApiError(members.error).message : undefined)
          }
          disabled={members.isPending}
          hint={
            members.data && members.data.total > pickable.length
              ? `The first ${pickable.length} of ${members.data.total} active members.`
              : undefined
          }
        >
          <option value="">
            {members.isPending
              ? "Loading members…"
              : pickable.length
                ? "Choose a member"
                : "No active members"}
          </option>
          {pickable.map((m) => (
            <option key={m.id} value={m.email}>
              {m.name} ({m.email}) · {m.role}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Reason"
          {...form.register("reason")}
          error={errors.reason?.message}
          hint="For example: support ticket number."
        />
        <div className="field">
          <label>
            <input type="checkbox" {...form.register("write")} /> Allow changes (write access)
          </label>
        </div>
        {write ? (
          <TextField
            label="Why changes are needed"
            {...form.register("writeReason")}
            error={errors.writeReason?.message}
            hint="Recorded with every change made in this session."
          />
        ) : null}
        {token ? (
          <div className="alert alert-ok" role="status">
            Opened in a new tab.
          </div>
        ) : null}
      </form>
      {token ? (
        <form
          ref={handoff}
          method="post"
          action={`${webUrl}/api/session/impersonate`}
          target="_blank"
          hidden
        >
          <input type="hidden" name="token" value={token} />
        </form>
      ) : null}
    </Dialog>
  );
}
