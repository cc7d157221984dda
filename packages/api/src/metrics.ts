// Prometheus metrics through prom-client: its default process metrics plus the api's own, in one
// registry per services object (tests run several instances in one process).
//
// Cardinality: every label is bounded. `procedure` is a router path (tRPC answers an unknown path
// before any middleware runs, so only real procedures reach observeCall), `outcome` is "ok" or a
// tRPC error code, `route` is one of the server's fixed routes or "other", `status` an HTTP
// status. Per-tenant figures are exported only as aggregates; no tenant id or slug is a label.
import type { Tenancy } from "@tenantry/tenancy";
import type { Counter, Histogram } from "prom-client";
import * as client from "prom-client";

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ApiMetrics {
  observeCall(surface: string, path: string, outcome: string, seconds: number): void;
  observeHttp(route: string, status: number): void;
  /** The Prometheus text exposition; pool and cache gauges are sampled now. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsSources {
  tenancy: Pick<Tenancy, "stats">;
  activeTenantCalls: ReadonlyMap<string, number>;
  authChecks: { stats(): { size: number; hits: number; misses: number; invalidations: number } };
}

interface CallChildren {
  count: Counter.Internal;
  duration: Histogram.Internal<"procedure" | "outcome">;
}

/** A gauge whose value is read at scrape time. */
function sampled(
  register: client.Registry,
  name: string,
  help: string,
  read: () => number,
): client.Gauge {
  return new client.Gauge({
    name,
    help,
    registers: [register],
    collect() {
      this.set(read());
    },
  });
}

type PoolStats = ReturnType<Tenancy["stats"]>;

/** tenantry_pool_<name> gauges: tenant handle pool and registry cache, aggregates only. */
const POOL_GAUGES: [name: string, help: string, read: (p: PoolStats) => number][] = [
  ["handles", "Open tenant database handles (LRU).", (p) => p.handles],
  ["draining", "Evicted handles kept until their leases end.", (p) => p.draining],
  ["leases", "Tenant handle leases out now.", (p) => p.leases],
  ["hits", "Tenant handle cache hits since start.", (p) => p.hits],
  ["misses", "Tenant handle cache misses since start.", (p) => p.misses],
  ["evictions", "Tenant handle evictions since start.", (p) => p.evictions],
  [
    "deferred_evictions",
    "Handles evicted while leased, dropped at release.",
    (p) => p.deferredEvictions,
  ],
  [
    "evicted_while_leased",
    "Handles dropped while leased (must stay 0).",
    (p) => p.evictedWhileLeased,
  ],
  [
    "leased_tenants",
    "Tenants holding at least one lease now (a count, never their ids).",
    (p) => Object.keys(p.leasesByTenant).length,
  ],
  ["open_clients", "Cluster clients open.", (p) => p.openClients],
  ["sockets", "Driver pool sockets open across cluster clients.", (p) => p.sockets],
  ["queued", "withTenant calls waiting for their tenant's slot.", (p) => p.queued],
  ["busy_tenants", "Tenants at their in-flight limit now.", (p) => p.busyTenants],
  [
    "busy_refusals",
    "withTenant calls refused TENANT_BUSY (queue full or deadline) since start.",
    (p) => p.busyRefusals,
  ],
  [
    "rate_refusals",
    "withTenant calls refused TENANT_RATE_LIMITED (plan's requests per minute) since start.",
    (p) => p.rateRefusals,
  ],
  ["registry_cached", "Tenant records in the registry cache.", (p) => p.registry.cached],
  ["registry_hits", "Tenant registry cache hits since start.", (p) => p.registry.hits],
  ["registry_misses", "Tenant registry cache misses since start.", (p) => p.registry.misses],
  [
    "registry_invalidations",
    "Tenant registry invalidations since start.",
    (p) => p.registry.invalidations,
  ],
  ["registry_polls", "Tenant registry polls since start.", (p) => p.registry.polls],
  [
    "registry_poll_failures",
    "Tenant registry polls that failed since start.",
    (p) => p.registry.pollFailures,
  ],
  [
    "registry_version",
    "Control database registry version last seen (-1 before the first poll).",
    (p) => p.registry.version ?? -1,
  ],
];

export function createMetrics(sources: MetricsSources): ApiMetrics {
  const register = new client.Registry();
  client.collectDefaultMetrics({ register });

  const calls = new client.Counter({
    name: "tenantry_trpc_requests_total",
    help: "tRPC procedure calls by procedure and outcome.",
    labelNames: ["procedure", "outcome"] as const,
    registers: [register],
  });
  const durations = new client.Histogram({
    name: "tenantry_trpc_duration_seconds",
    help: "tRPC procedure latency by procedure and outcome.",
    labelNames: ["procedure", "outcome"] as const,
    buckets: BUCKETS,
    registers: [register],
  });
  const http = new client.Counter({
    name: "tenantry_http_responses_total",
    help: "HTTP responses of the standalone server by route and status.",
    labelNames: ["route", "status"] as const,
    registers: [register],
  });

  // Bound children, cached by surface → path → outcome: after warm-up an observation allocates
  // only what prom-client itself does (its label hash), not a labels object or a key string.
  const callChildren = new Map<string, Map<string, Map<string, CallChildren>>>();
  const callChild = (surface: string, path: string, outcome: string): CallChildren => {
    let bySurface = callChildren.get(surface);
    if (!bySurface) callChildren.set(surface, (bySurface = new Map()));
    let byPath = bySurface.get(path);
    if (!byPath) bySurface.set(path, (byPath = new Map()));
    let child = byPath.get(outcome);
    if (!child) {
      const procedure = `${surface}:${path}`;
      child = {
        count: calls.labels(procedure, outcome),
        duration: durations.labels(procedure, outcome),
      };
      byPath.set(outcome, child);
    }
    return child;
  };
  const httpChildren = new Map<string, Map<number, Counter.Internal>>();
  const httpChild = (route: string, status: number) => {
    let byRoute = httpChildren.get(route);
    if (!byRoute) httpChildren.set(route, (byRoute = new Map()));
    let child = byRoute.get(status);
    if (!child) byRoute.set(status, (child = http.labels(route, String(status))));
    return child;
  };

  // Pool statistics: one stats() call per scrape feeds every pool gauge.
  let pool = sources.tenancy.stats();
  for (const [name, help, read] of POOL_GAUGES)
    sampled(register, `tenantry_pool_${name}`, help, () => read(pool));
  sampled(register, "tenantry_tenant_calls_in_flight", "Tenant procedures running now.", () => {
    let n = 0;
    for (const v of sources.activeTenantCalls.values()) n += v;
    return n;
  });
  sampled(
    register,
    "tenantry_tenants_in_flight",
    "Tenants with at least one procedure running now.",
    () => sources.activeTenantCalls.size,
  );
  const authChecks = (name: string, help: string, key: "size" | "hits" | "misses") =>
    sampled(
      register,
      `tenantry_auth_check_cache_${name}`,
      help,
      () => sources.authChecks.stats()[key],
    );
  authChecks("entries", "Cached user + session checks.", "size");
  authChecks("hits", "User + session checks answered from the cache since start.", "hits");
  authChecks(
    "misses",
    "User + session checks read from the tenant database since start.",
    "misses",
  );

  return {
    observeCall(surface, path, outcome, seconds) {
      const child = callChild(surface, path, outcome);
      child.count.inc();
      child.duration.observe(seconds);
    },
    observeHttp(route, status) {
      httpChild(route, status).inc();
    },
    render() {
      pool = sources.tenancy.stats();
      return register.metrics();
    },
    contentType: register.contentType,
  };
}
