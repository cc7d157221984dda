"use client";
// The tenant's metered usage, last 30 UTC days (control usageDaily: counts only), and its CSV.
import {
  ErrorState,
  Loading,
  UsageCharts,
  describeApiError,
  saveCsv,
  useToast,
} from "@tenantry/ui";
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const DAYS = 30;

export function UsageCard({ tenantId }: { tenantId: string }) {
  const toast = useToast();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const usage = useQuery(trpc.tenants.usageHistory.queryOptions({ id: tenantId, days: DAYS }));
  const [exporting, setExporting] = useState(false);

  const download = async () => {
    setExporting(true);
    try {
      const { fileName, csv } = await queryClient.fetchQuery({
        ...trpc.tenants.usageCsv.queryOptions({ id: tenantId, days: DAYS }),
        staleTime: 0,
      });
      saveCsv(fileName, csv);
    } catch (err) {
      toast.error(describeApiError(err).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="card" aria-labelledby="usage-h" style={{ marginTop: 16 }}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="usage-h">Usage, last {DAYS} days</h2>
        <button type="button" className="btn" onClick={download} disabled={exporting}>
          {exporting ? <span className="spinner" aria-hidden /> : null}
          Download CSV
        </button>
      </div>
      {usage.isPending ? (
        <Loading label="Loading usage…" />
      ) : usage.isError ? (
        <ErrorState message={describeApiError(usage.error).message} />
      ) : (
        <UsageCharts days={usage.data.days} />
      )}
    </section>
  );
}
