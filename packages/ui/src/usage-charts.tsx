"use client";
// A tenant's metered usage per UTC day (control `usageDaily`): totals, then two charts on the
// shared LineChart (calls; seats and documents). Used by the admin tenant page and the web
// settings "Usage" page, each with one CsvDownloadButton for the same CSV.
import { useState } from "react";
import { describeApiError } from "./api-error";
import { formatBytes } from "./format-bytes";
import { LineChart } from "./line-chart";
import { ErrorState, Loading, Stat } from "./states";
import { useToast } from "./toast";

/** One day as the api's usageHistory answers it. */
export interface UsageDayRow {
  day: string;
  apiCalls: number;
  seats: number | null;
  storageBytes: number | null;
  documents: Record<string, number>;
}

const COLORS = ["#1c7ed6", "#2b8a3e", "#e8590c", "#7048e8", "#c92a2a"];

function UsageCharts({ days }: { days: UsageDayRow[] }) {
  const labels = days.map((d) => d.day.slice(5));
  const modules = [...new Set(days.flatMap((d) => Object.keys(d.documents)))].sort();
  const measured = days.filter((d) => d.seats !== null);
  const latest = measured[measured.length - 1];
  const calls = days.reduce((sum, d) => sum + d.apiCalls, 0);
  const first = days[0]?.day ?? "";
  const last = days[days.length - 1]?.day ?? "";
  return (
    <div data-testid="usage-charts">
      <div className="grid grid-3" style={{ marginBottom: 16 }}>
        <Stat label={`API calls, ${days.length} days`} value={calls} testId="usage-calls-total" />
        <Stat label="Seats (latest)" value={latest?.seats ?? "—"} testId="usage-seats" />
        <Stat
          label="Storage (latest)"
          value={latest?.storageBytes != null ? formatBytes(latest.storageBytes) : "—"}
          testId="usage-storage"
        />
      </div>
      <h3>API calls per day</h3>
      <LineChart
        testId="usage-calls-chart"
        title={`API calls per day, ${first} to ${last} (UTC)`}
        labels={labels}
        series={[
          { name: "API calls", color: COLORS[0] ?? "", values: days.map((d) => d.apiCalls) },
        ]}
      />
      <h3>Seats and documents</h3>
      <LineChart
        testId="usage-items-chart"
        title={`Seats and documents per day, ${first} to ${last} (UTC)`}
        labels={labels}
        series={[
          { name: "seats", color: COLORS[1] ?? "", values: days.map((d) => d.seats ?? 0) },
          ...modules.map((m, i) => ({
            name: m,
            color: COLORS[(i + 2) % COLORS.length] ?? "",
            values: days.map((d) => d.documents[m] ?? 0),
          })),
        ]}
      />
      <p className="muted small">
        Days are UTC. Calls appear after each server's next write of its counts (every minute by
        default); seats, storage and documents are measured every few minutes while the organisation
        is in use.
      </p>
    </div>
  );
}

/** The usage query's three states: loading, the api's refusal in its words, or the charts. */
export function UsagePanel({
  usage,
}: {
  usage: { isPending: boolean; error: unknown; data?: { days: UsageDayRow[] } | undefined };
}) {
  if (usage.isPending) return <Loading label="Loading usage…" />;
  if (!usage.data) return <ErrorState message={describeApiError(usage.error).message} />;
  return <UsageCharts days={usage.data.days} />;
}

/** "Download CSV": fetches a fresh CSV (never a cached one) and saves it; a refusal is a toast. */
export function CsvDownloadButton({
  load,
}: {
  load: () => Promise<{ fileName: string; csv: string }>;
}) {
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const download = async () => {
    setExporting(true);
    try {
      const { fileName, csv } = await load();
      saveCsv(fileName, csv);
    } catch (err) {
      toast.error(describeApiError(err).message);
    } finally {
      setExporting(false);
    }
  };
  return (
    <button type="button" className="btn" onClick={download} disabled={exporting}>
      {exporting ? <span className="spinner" aria-hidden /> : null}
      Download CSV
    </button>
  );
}

/** Saves CSV text as a file in the browser (a download of a blob; nothing leaves the page). */
function saveCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
