"use client";
import { SelectField, TextField, describeApiError, useToast } from "@tenantry/ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";
import { validateTenantForm } from "./tenant-form-validation";
import type { TenantFormErrors as Errors } from "./tenant-form-validation";

export function CreateTenantForm() {
  const router = useRouter();
  const toast = useToast();
  const clusters = api.clusters.list.useQuery();
  const utils = api.useUtils();
  const create = api.tenants.create.useMutation({
    onSuccess: () => utils.tenants.list.invalidate(),
  });
  const [v, setV] = useState({
    slug: "",
    name: "",
    ownerEmail: "",
    ownerName: "",
    ownerPassword: "",
    cluster: "",
    plan: "free",
  });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) =>
    setV((p) => ({ ...p, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const local = validateTenantForm(v);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      // Move focus to the first invalid field so keyboard users land on the problem.
      const first = Object.keys(local)[0];
      document.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    try {
      const tenant = await create.mutateAsync({
        slug: v.slug,
        name: v.name.trim(),
        owner: { email: v.ownerEmail.trim(), name: v.ownerName.trim(), password: v.ownerPassword },
        ...(v.cluster ? { cluster: v.cluster } : {}),
        ...(v.plan ? { plan: v.plan } : {}),
      });
      toast.success(`Tenant ${tenant.slug} created.`);
      router.push(`/tenants/${tenant.id}`);
    } catch (err) {
      const info = describeApiError(err);
      const fe = info.fieldErrors;
      const mapped: Errors = {
        ...(fe.slug ? { slug: fe.slug } : {}),
        ...(fe.name ? { name: fe.name } : {}),
        ...(fe.cluster ? { cluster: fe.cluster } : {}),
        ...(fe.plan ? { plan: fe.plan } : {}),
      };
      if (fe.owner) mapped.ownerEmail = fe.owner;
      if (info.code === "CONFLICT" || info.reason === "SLUG_TAKEN")
        mapped.slug = info.message || "This slug is already taken.";
      setErrors(mapped);
      if (Object.keys(mapped).length === 0) setFormError(info.message);
    }
  }

  return (
    <form
      className="card form"
      style={{ maxWidth: 640 }}
      onSubmit={submit}
      noValidate
      aria-label="Create tenant"
    >
      {formError ? (
        <div className="form-error" role="alert">
          {formError}
        </div>
      ) : null}
      <h2>Organisation</h2>
      <div className="grid grid-2">
        <TextField
          label="Name"
          name="name"
          value={v.name}
          onChange={set("name")}
          error={errors.name}
          autoFocus
        />
        <TextField
          label="Slug"
          name="slug"
          value={v.slug}
          onChange={(e) => setV((p) => ({ ...p, slug: e.target.value.toLowerCase() }))}
          error={errors.slug}
          hint="Used in URLs and the database name."
          autoComplete="off"
        />
      </div>
      <div className="grid grid-2">
        <SelectField
          label="Cluster"
          name="cluster"
          value={v.cluster}
          onChange={set("cluster")}
          error={errors.cluster}
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
        <SelectField
          label="Plan"
          name="plan"
          value={v.plan}
          onChange={set("plan")}
          error={errors.plan}
        >
          <option value="free">Free</option>
          <option value="pro">Pro</option>
          <option value="enterprise">Enterprise</option>
        </SelectField>
      </div>
      <h2 style={{ marginTop: 8 }}>Owner</h2>
      <div className="grid grid-2">
        <TextField
          label="Owner email"
          name="ownerEmail"
          type="email"
          value={v.ownerEmail}
          onChange={set("ownerEmail")}
          error={errors.ownerEmail}
          autoComplete="off"
        />
        <TextField
          label="Owner name"
          name="ownerName"
          value={v.ownerName}
          onChange={set("ownerName")}
          error={errors.ownerName}
          autoComplete="off"
        />
      </div>
      <TextField
        label="Owner password"
        name="ownerPassword"
        type="password"
        value={v.ownerPassword}
        onChange={set("ownerPassword")}
        error={errors.ownerPassword}
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
