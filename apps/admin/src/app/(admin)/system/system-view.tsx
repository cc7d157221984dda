"use client";
import { useQuery } from "@tanstack/react-query";
import {
  Badge,
  ErrorState,
  LineChart,
  Loading,
  PageHead,
  Stat,
  describeApiError,
  formatBytes,
} from "@tenantry/ui";
import { useEffect, useState } from "react";
import { useTRPC } from "~/trpc/react";

const HISTORY = 60; // samples kept for the chart: two minutes at one sample per 2 s
const POLL_MS = 2_000;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
function formatUptime(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}
/** How long ago, against the answering instance's clock (the `at` of its answer). */
function formatAgo(then: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  return s < 2 ? "just now" : `${formatUptime(s)} ago`;
}

interface Sample {
  hits: number;
  misses: number;
  evictions: number;
}

export function SystemView() {
  const trpc = useTRPC();
  const stats = useQuery(
    trpc.system.stats.queryOptions(undefined, {
      refetchInterval: POLL_MS,
      refetchIntervalInBackground: false,
    }),
  );
  // Polled too, so its uptime and memory stay current beside the fleet's.
  const info = useQuery(
    trpc.system.info.queryOptions(undefined, {
      refetchInterval: POLL_MS,
      refetchIntervalInBackground: false,
    }),
  );
  const fleet = useQuery(
    trpc.system.fleet.queryOptions(undefined, {
      refetchInterval: POLL_MS,
      refetchIntervalInBackground: false,
    }),
  );
  const [history, setHistory] = useState<Sample[]>([]);

  // Counters are cumulative; the chart shows them per interval so spikes stand out.
  useEffect(() => {
    const p = stats.data?.pool;
    if (!p) return;
    setHistory((h) =>
      [...h, { hits: p.hits, misses: p.misses, evictions: p.evictions }].slice(-(HISTORY + 1)),
    );
  }, [stats.data]);
  const deltas = history.slice(1).map((s, i) => {
    const prev = history[i] ?? s;
    return {
      hits: Math.max(0, s.hits - prev.hits),
      misses: Math.max(0, s.misses - prev.misses),
      evictions: Math.max(0, s.evictions - prev.evictions),
    };
  });

  const p = stats.data?.pool;
  return (
    <>
      <PageHead
        title="System"
        subtitle={
          <>
            Connection pool figures of the instance answering, and every API instance, refreshed
            every {POLL_MS / 1000} s.{" "}
            <span className="small">{stats.isFetching ? "Updating…" : ""}</span>
          </>
        }
      />
      {stats.isPending ? (
        <Loading label="Loading pool figures…" />
      ) : stats.isError ? (
        <ErrorState message={describeApiError(stats.error).message} />
      ) : p ? (
        <>
          <div className="grid grid-4" style={{ marginBottom: 16 }} data-testid="pool-stats">
            <Stat label="Cached handles" value={p.handles} testId="stat-handles" />
            <Stat label="Active leases" value={p.leases} />
            <Stat label="Open clients" value={p.openClients} />
            <Stat label="Sockets" value={p.sockets} />
            <Stat label="Hits" value={p.hits} testId="stat-hits" />
            <Stat label="Misses" value={p.misses} />
            <Stat label="Evictions" value={p.evictions} />
            <Stat label="Evicted while leased" value={p.evictedWhileLeased} />
          </div>
          <section className="card" aria-labelledby="chart-h">
            <h2 id="chart-h">Cache activity per {POLL_MS / 1000} s</h2>
            {deltas.length < 2 ? (
              <Loading label="Collecting samples…" />
            ) : (
              <LineChart
                title="Connection cache hits, misses and evictions over time"
                labels={deltas.map((_, i) => {
                  const ago = ((deltas.length - 1 - i) * POLL_MS) / 1000;
                  return ago === 0 ? "now" : `${ago} s ago`;
                })}
                series={[
                  { name: "hits", color: "#2b8a3e", values: deltas.map((d) => d.hits) },
                  { name: "misses", color: "#e8590c", values: deltas.map((d) => d.misses) },
                  { name: "evictions", color: "#c92a2a", values: deltas.map((d) => d.evictions) },
                ]}
              />
            )}
          </section>
        </>
      ) : null}
      <section className="card" aria-labelledby="fleet-h" style={{ marginBottom: 16 }}>
        <h2 id="fleet-h">API instances</h2>
        <p className="small">
          Each instance reports itself every few seconds; one silent for three of its intervals is
          shown as stale and leaves the list an hour after its last report.
        </p>
        {fleet.isPending ? (
          <Loading label="Loading instances…" />
        ) : fleet.isError ? (
          <ErrorState message={describeApiError(fleet.error).message} />
        ) : (
          <div className="table-wrap">
            <table className="table table-cards" data-testid="fleet-table">
              <thead>
                <tr>
                  <th scope="col">Instance</th>
                  <th scope="col">Host / pid</th>
                  <th scope="col">Version</th>
                  <th scope="col">Uptime</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Handles</th>
                  <th scope="col">Leases</th>
                  <th scope="col">Clients / sockets</th>
                  <th scope="col">Hits / misses</th>
                  <th scope="col">Memory</th>
                </tr>
              </thead>
              <tbody>
                {fleet.data.instances.map((i) => {
                  const self = i.instanceId === fleet.data.answeredBy;
                  return (
                    <tr
                      key={i.instanceId}
                      data-testid="fleet-row"
                      data-instance={i.instanceId}
                      data-uptime={i.uptimeSeconds}
                      data-self={self ? "true" : undefined}
                      aria-current={self ? "true" : undefined}
                    >
                      <td data-label="Instance">
                        <span className="mono">{i.instanceId}</span>{" "}
                        {self ? <Badge tone="info">answering</Badge> : null}
                        {i.stale ? <Badge tone="warn">stale</Badge> : null}
                      </td>
                      <td data-label="Host / pid">
                        {i.hostname} / {i.pid}
                      </td>
                      <td data-label="Version">{i.version}</td>
                      <td data-label="Uptime" data-testid="fleet-uptime">
                        {formatUptime(i.uptimeSeconds)}
                      </td>
                      <td data-label="Last seen" title={i.lastSeenAt.toISOString()}>
                        {formatAgo(i.lastSeenAt, fleet.data.at)}
                      </td>
                      <td data-label="Handles">{i.pool.handles}</td>
                      <td data-label="Leases">{i.pool.leases}</td>
                      <td data-label="Clients / sockets">
                        {i.pool.openClients} / {i.pool.sockets}
                      </td>
                      <td data-label="Hits / misses">
                        {i.pool.hits} / {i.pool.misses}
                      </td>
                      <td data-label="Memory">{formatBytes(i.memory.rssBytes)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="instance-h">
        <h2 id="instance-h">This instance</h2>
        {info.isPending ? (
          <Loading />
        ) : info.isError ? (
          <ErrorState message={describeApiError(info.error).message} />
        ) : (
          <dl className="kv">
            <dt>Instance</dt>
            <dd className="mono">{info.data.instanceId}</dd>
            <dt>Version</dt>
            <dd>{info.data.version}</dd>
            <dt>Host</dt>
            <dd>
              {info.data.hostname} (pid {info.data.pid})
            </dd>
            <dt>Node.js</dt>
            <dd>{info.data.node}</dd>
            <dt>Started</dt>
            <dd>
              {new Date(info.data.startedAt).toLocaleString("en-GB")} · up{" "}
              {formatUptime(info.data.uptimeSeconds)}
            </dd>
            <dt>Memory</dt>
            <dd>
              {mb(info.data.memory.rssBytes)} resident · {mb(info.data.memory.heapUsedBytes)} heap
            </dd>
          </dl>
        )}
      </section>
    </>
  );
}
