"use client";
import { useMutation } from "@tanstack/react-query";
import { FormError, SelectField, TextField, setServerErrors, useZodForm } from "@tenantry/ui";
import { describeError } from "~/api-error";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z.object({
  tenantSlug: z.string(),
  // Only organisations that ask for their own password get here: it is that one.
  password: z.string().min(1, "Enter your password for that organisation."),
});

export function SwitchTenantForm({
  tenants,
  initial,
}: {
  tenants: { slug: string; name: string }[];
  initial?: string;
}) {
  const trpc = useTRPC();
  const form = useZodForm(schema, {
    defaultValues: { tenantSlug: initial ?? tenants[0]?.slug ?? "", password: "" },
  });
  const { errors } = form.formState;
  const sw = useMutation(trpc.auth.switchTenant.mutationOptions());

  const submit = form.handleSubmit(async (values) => {
    try {
      await sw.mutateAsync(values);
      window.location.assign("/");
    } catch (err) {
      const info = describeError(err);
      if (info.reason === "TENANT_SUSPENDED")
        return form.setError("root", { message: "That organisation is suspended." });
      setServerErrors(form, info.fieldErrors);
      form.setError("root", {
        message:
          info.reason === "INVALID_CREDENTIALS" || info.code === "UNAUTHORIZED"
            ? "Password is incorrect for that organisation."
            : info.message,
      });
    }
  });

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Switch organisation">
      <FormError message={errors.root?.message} />
      <SelectField
        label="Organisation"
        {...form.register("tenantSlug")}
        error={errors.tenantSlug?.message}
      >
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        {...form.register("password")}
        error={errors.password?.message}
        hint="This organisation asks for its own password: the one you use there."
      />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={sw.isPending}>
          {sw.isPending ? <span className="spinner" aria-hidden /> : null}
          Switch
        </button>
      </div>
    </form>
  );
}
