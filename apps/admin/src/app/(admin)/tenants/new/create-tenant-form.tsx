"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  FormError,
  SelectField,
  TextField,
  describeApiError,
  setServerErrors,
  useToast,
  useZodForm,
} from "@tenantry/ui";
import { PLANS, PLAN_NAMES, isPlanName } from "@tenantry/tenancy/policies";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { tenantFormSchema } from "./tenant-form-validation";

export function CreateTenantForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.tenants.list.pathFilter()),
    }),
  );
  const form = useZodForm(tenantFormSchema, {
    defaultValues: {
      slug: "",
      name: "",
      ownerEmail: "",
      ownerName: "",
      ownerPassword: "",
      cluster: "",
      plan: "free",
    },
  });
  const { errors } = form.formState;

  // react-hook-form moves focus to the first invalid field, so keyboard users land on the problem.
  const submit = form.handleSubmit(async (v) => {
    try {
      const tenant = await create.mutateAsync({
        slug: v.slug,
        name: v.name,
        owner: { email: v.ownerEmail, name: v.ownerName, password: v.ownerPassword },
        ...(v.cluster ? { cluster: v.cluster } : {}),
        ...(isPlanName(v.plan) ? { plan: v.plan } : {}),
      });
      toast.success(`Tenant ${tenant.slug} created.`);
      router.push(`/tenants/${tenant.id}`);
    } catch (err) {
      const info = describeApiError(err);
      let placed = setServerErrors(form, info.fieldErrors, { owner: "ownerEmail" });
      if (info.code === "CONFLICT" || info.reason === "SLUG_TAKEN") {
        form.setError("slug", { message: info.message || "This slug is already taken." });
        placed++;
      }
      if (placed === 0) form.setError("root", { message: info.message });
    }
  });

  return (
    <form
      className="card form"
      style={{ maxWidth: 640 }}
      onSubmit={submit}
      noValidate
      aria-label="Create tenant"
    >
      <FormError message={errors.root?.message} />
      <h2>Organisation</h2>
      <div className="grid grid-2">
        <TextField label="Name" {...form.register("name")} error={errors.name?.message} autoFocus />
        <TextField
          label="Slug"
          {...form.register("slug", {
            // Shown as it will be stored.
            onChange: (e: { target: { value: string } }) =>
              form.setValue("slug", e.target.value.toLowerCase()),
          })}
          error={errors.slug?.message}
          hint="Used in URLs and the database name."
          autoComplete="off"
        />
      </div>
      <div className="grid grid-2">
        <SelectField
          label="Cluster"
          {...form.register("cluster")}
          error={errors.cluster?.message}
          hint={
            clusters.isPending ? "Loading clusters…" : "Empty: the cluster with the fewest tenants."
          }
        >
          <option value="">Automatic</option>
          {clusters.data?.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.tenantCount} tenants)
            </option>
          ))}
        </SelectField>
        <SelectField label="Plan" {...form.register("plan")} error={errors.plan?.message}>
          {PLAN_NAMES.map((p) => (
            <option key={p} value={p}>
              {PLANS[p].label}
            </option>
          ))}
        </SelectField>
      </div>
      <h2 style={{ marginTop: 8 }}>Owner</h2>
      <div className="grid grid-2">
        <TextField
          label="Owner email"
          type="email"
          {...form.register("ownerEmail")}
          error={errors.ownerEmail?.message}
          autoComplete="off"
        />
        <TextField
          label="Owner name"
          {...form.register("ownerName")}
          error={errors.ownerName?.message}
          autoComplete="off"
        />
      </div>
      <TextField
        label="Owner password"
        type="password"
        {...form.register("ownerPassword")}
        error={errors.ownerPassword?.message}
        autoComplete="new-password"
        hint="At least 12 characters, mixing letters, digits or symbols. Stored only in the tenant's own database."
      />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? <span className="spinner" aria-hidden /> : null}
          {create.isPending ? "Provisioning…" : "Create tenant"}
        </button>
      </div>
    </form>
  );
}
