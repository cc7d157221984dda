"use client";
// The tenant's metered usage, last 30 UTC days (control usageDaily: counts only), and its CSV.
import { CsvDownloadButton, UsagePanel } from "@tenantry/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const DAYS = 30;

export function UsageCard({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const usage = useQuery(trpc.tenants.usageHistory.queryOptions({ id: tenantId, days: DAYS }));
  const loadCsv = () =>
    queryClient.fetchQuery({
      ...trpc.tenants.usageCsv.queryOptions({ id: tenantId, days: DAYS }),
      staleTime: 0,
    });

  return (
    <section className="card" aria-labelledby="usage-h" style={{ marginTop: 16 }}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="usage-h">Usage, last {DAYS} days</h2>
        <CsvDownloadButton load={loadCsv} />
      </div>
      <UsagePanel usage={usage} />
    </section>
  );
}
