"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Badge,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  Loading,
  PageHead,
  TextField,
  describeApiError,
  setServerErrors,
  useToast,
  useZodForm,
} from "@tenantry/ui";
import { isValidEmail, normalizeEmailText, passwordWeakness } from "@tenantry/tenancy/policies";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

// The domain's own policies, so a weak password is named next to its field before a round trip;
// the api applies the same ones.
const schema = z
  .object({
    email: z
      .string()
      .trim()
      .refine((e) => isValidEmail(normalizeEmailText(e)), "Enter a valid email address."),
    name: z.string().trim().min(1, "Enter their name."),
    password: z.string(),
  })
  .superRefine((form, ctx) => {
    const weakness = passwordWeakness(form.password, normalizeEmailText(form.email));
    if (weakness) ctx.addIssue({ code: "custom", path: ["password"], message: weakness });
  });

export function AdminsView() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const admins = useQuery(trpc.admins.list.queryOptions());
  const add = useMutation(trpc.admins.create.mutationOptions());
  const disable = useMutation(trpc.admins.disable.mutationOptions());
  const [toDisable, setToDisable] = useState<string | null>(null);
  const form = useZodForm(schema, { defaultValues: { email: "", name: "", password: "" } });
  const { errors } = form.formState;
  const activeCount = admins.data?.filter((a) => a.status === "active").length ?? 0;

  const submit = form.handleSubmit(async (values) => {
    try {
      await add.mutateAsync(values);
      form.reset();
      toast.success(`${values.email} can now sign in to the admin app.`);
      await queryClient.invalidateQueries(trpc.admins.list.pathFilter());
    } catch (err) {
      const info = describeApiError(err);
      if (setServerErrors(form, info.fieldErrors) === 0)
        form.setError(info.reason === "WEAK_PASSWORD" ? "password" : "email", {
          message: info.message,
        });
    }
  });

  async function confirmDisable() {
    if (!toDisable) return;
    try {
      await disable.mutateAsync({ email: toDisable });
      toast.success(`${toDisable} is disabled; their sessions have ended.`);
      await queryClient.invalidateQueries(trpc.admins.list.pathFilter());
    } catch (err) {
      toast.error(describeApiError(err).message);
    } finally {
      setToDisable(null);
    }
  }

  return (
    <>
      <PageHead
        title="Super admins"
        subtitle="People who can run the platform. Disabling one ends their sessions at once; the last active admin can't be disabled."
      />
      <div className="grid grid-2" style={{ alignItems: "start" }}>
        <section className="card" aria-labelledby="admins-h">
          <h2 id="admins-h">Admins</h2>
          {admins.isPending ? (
            <Loading />
          ) : admins.isError ? (
            <ErrorState message={describeApiError(admins.error).message} />
          ) : admins.data.length === 0 ? (
            <EmptyState title="No admins" />
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="admins-table">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {admins.data.map((a) => (
                    <tr key={a.id}>
                      <td>
                        {a.email}
                        {a.you ? <span className="muted"> (you)</span> : null}
                      </td>
                      <td>{a.name}</td>
                      <td>
                        <Badge tone={a.status === "active" ? "ok" : undefined}>{a.status}</Badge>
                      </td>
                      <td style={{ whiteSpace: "nowrap" }}>
                        {a.lastLoginAt ? new Date(a.lastLoginAt).toLocaleString("en-GB") : "never"}
                      </td>
                      <td>
                        {a.status === "active" && activeCount > 1 ? (
                          <button
                            type="button"
                            className="btn btn-sm btn-danger"
                            onClick={() => setToDisable(a.email)}
                            aria-label={`Disable ${a.email}`}
                          >
                            Disable
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="add-admin-h">
          <h2 id="add-admin-h">Add a super admin</h2>
          <form className="form" onSubmit={submit} noValidate aria-label="Add super admin">
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
            <TextField
              label="Initial password"
              type="password"
              {...form.register("password")}
              error={errors.password?.message}
              autoComplete="new-password"
              hint="Share it with them privately; they can change it after signing in."
            />
            <div className="row">
              <button type="submit" className="btn btn-primary" disabled={add.isPending}>
                {add.isPending ? <span className="spinner" aria-hidden /> : null}
                Add admin
              </button>
            </div>
          </form>
        </section>
      </div>
      <ConfirmDialog
        open={toDisable !== null}
        title="Disable this super admin?"
        message={<>{toDisable} can no longer sign in, and every session of theirs ends now.</>}
        confirmLabel="Disable"
        danger
        busy={disable.isPending}
        onCancel={() => setToDisable(null)}
        onConfirm={() => void confirmDisable()}
      />
    </>
  );
}
