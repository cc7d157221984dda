"use client";
// The organisation's metered usage, last 30 UTC days, and its CSV (the api answers for the
// caller's own organisation only).
import { CsvDownloadButton, PageHead, UsagePanel } from "@tenantry/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const DAYS = 30;

export function UsageView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const usage = useQuery(trpc.tenant.usageHistory.queryOptions({ days: DAYS }));
  const loadCsv = () =>
    queryClient.fetchQuery({ ...trpc.tenant.usageCsv.queryOptions({ days: DAYS }), staleTime: 0 });

  return (
    <>
      <PageHead
        title="Usage"
        subtitle={`API calls, seats, storage and documents per day, the last ${DAYS} days.`}
        actions={<CsvDownloadButton load={loadCsv} />}
      />
      <section className="card" aria-label="Usage charts">
        <UsagePanel usage={usage} />
      </section>
    </>
  );
}
