"use client";
import { useQuery } from "@tanstack/react-query";
// Owners only: a banner from 80% of any plan limit, and when the organisation is read-only.
import { formatBytes } from "@tenantry/ui";
import { useTRPC } from "~/trpc/react";

const LABELS: Record<string, string> = { seats: "members", storageBytes: "storage" };

const amount = (limit: string, n: number) =>
  limit === "storageBytes" ? formatBytes(n) : String(n);

export function UsageBanner() {
  const trpc = useTRPC();
  // Usage moves slowly; once a minute is often enough for a warning.
  const usage = useQuery(
    trpc.tenant.usage.queryOptions(undefined, { staleTime: 60_000, retry: false }),
  );
  if (!usage.data) return null;
  const near = usage.data.limits.filter((l) => l.warning);
  if (!near.length && !usage.data.readOnly) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="usage-banner">
      <strong>
        {usage.data.readOnly ? "Read-only: over the storage limit." : "Nearing your plan's limits:"}
      </strong>
      <span>
        {near
          .map(
            (l) =>
              `${LABELS[l.limit] ?? l.limit} ${amount(l.limit, l.used)} of ${amount(l.limit, l.max)}`,
          )
          .join(" · ")}{" "}
        — the {usage.data.plan} plan. Contact us to raise your limits.
      </span>
    </div>
  );
}
