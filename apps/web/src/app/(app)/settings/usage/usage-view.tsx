"use client";
// The organisation's metered usage, last 30 UTC days, and its CSV (the api answers for the
// caller's own organisation only).
import {
  ErrorState,
  Loading,
  PageHead,
  UsageCharts,
  describeApiError,
  saveCsv,
  useToast,
} from "@tenantry/ui";
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const DAYS = 30;

export function UsageView() {
  const toast = useToast();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const usage = useQuery(trpc.tenant.usageHistory.queryOptions({ days: DAYS }));
  const [exporting, setExporting] = useState(false);

  const download = async () => {
    setExporting(true);
    try {
      const { fileName, csv } = await queryClient.fetchQuery({
        ...trpc.tenant.usageCsv.queryOptions({ days: DAYS }),
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
    <>
      <PageHead
        title="Usage"
        subtitle={`API calls, seats, storage and documents per day, the last ${DAYS} days.`}
        actions={
          <button type="button" className="btn" onClick={download} disabled={exporting}>
            {exporting ? <span className="spinner" aria-hidden /> : null}
            Download CSV
          </button>
        }
      />
      <section className="card" aria-label="Usage charts">
        {usage.isPending ? (
          <Loading label="Loading usage…" />
        ) : usage.isError ? (
          <ErrorState message={describeApiError(usage.error).message} />
        ) : (
          <UsageCharts days={usage.data.days} />
        )}
      </section>
    </>
  );
}
