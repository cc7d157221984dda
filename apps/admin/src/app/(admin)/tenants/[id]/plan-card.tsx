"use client";
import { useMutation } from "@tanstack/react-query";
// The tenant's plan and its limit overrides: an empty limit field means "the plan's value".
import type { PlanName } from "@tenantry/tenancy/policies";
import { PLANS, PLAN_NAMES, isPlanName, limitOf } from "@tenantry/tenancy/policies";
import { SelectField, TextField, describeApiError, formatBytes, useToast } from "@tenantry/ui";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";

interface PlanLimit {
  name: string;
  override: number | null;
  max: number;
}

/** Field text -> override: blank clears it, a whole number sets it; anything else is an error. */
function parseOverride(text: string): number | null | "invalid" {
  const t = text.trim();
  if (t === "") return null;
  return /^\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : "invalid";
}

export function PlanCard({
  tenantId,
  plan,
  limits,
  onSaved,
}: {
  tenantId: string;
  plan: PlanName;
  limits: PlanLimit[];
  onSaved: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [chosen, setChosen] = useState<PlanName>(plan);
  const [fields, setFields] = useState<Record<string, string>>(() =>
    Object.fromEntries(limits.map((l) => [l.name, l.override === null ? "" : String(l.override)])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const setPlan = useMutation(trpc.tenants.setPlan.mutationOptions());

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = Object.entries(fields).map(([name, text]) => [name, parseOverride(text)]);
    const bad = parsed.filter(([, v]) => v === "invalid").map(([name]) => String(name));
    setErrors(Object.fromEntries(bad.map((name) => [name, "A whole number, or blank"])));
    if (bad.length) return;
    try {
      await setPlan.mutateAsync({
        id: tenantId,
        plan: chosen,
        limits: Object.fromEntries(parsed) as Record<string, number | null>,
      });
      toast.success(`Plan changed to ${PLANS[chosen].label}.`);
      await onSaved();
    } catch (err) {
      toast.error(describeApiError(err).message);
    }
  };

  return (
    <section className="card" aria-labelledby="plan-h" style={{ marginTop: 16 }}>
      <h2 id="plan-h">Plan and limits</h2>
      <form className="form" onSubmit={submit} noValidate aria-label="Plan and limits">
        <SelectField
          label="Plan"
          value={chosen}
          onChange={(e) => isPlanName(e.target.value) && setChosen(e.target.value)}
        >
          {PLAN_NAMES.map((p) => (
            <option key={p} value={p}>
              {PLANS[p].label}
            </option>
          ))}
        </SelectField>
        <p className="muted">
          Features: {PLANS[chosen].features.length ? PLANS[chosen].features.join(", ") : "none"}.
          Leave a limit blank to use the plan&apos;s value.
        </p>
        <div className="grid grid-2">
          {limits.map((l) => (
            <TextField
              key={l.name}
              label={`Limit: ${l.name}`}
              inputMode="numeric"
              value={fields[l.name] ?? ""}
              placeholder={String(limitOf(chosen, {}, l.name))}
              error={errors[l.name]}
              hint={`In force now: ${l.name === "storageBytes" ? `${l.max} bytes (${formatBytes(l.max)})` : l.max}`}
              onChange={(e) => setFields((f) => ({ ...f, [l.name]: e.target.value }))}
            />
          ))}
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={setPlan.isPending}>
            {setPlan.isPending ? <span className="spinner" aria-hidden /> : null}
            Save plan
          </button>
        </div>
      </form>
    </section>
  );
}
