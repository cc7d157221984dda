// Virtual users against the API over loopback: each one loops over random tenants, signing in
// (or reusing its tenant's token), reading and writing notes. Every acknowledged write is kept
// so the caller can prove afterwards that it is there, in its own tenant only.
import { randomBytes } from "node:crypto";

import type { CallResult } from "./trpc-over-http";
import { callProcedure } from "./trpc-over-http";
import { OWNER_PASSWORD } from "./tenant-fixtures";
import type { TenantSeed } from "./tenant-fixtures";

interface AckedWrite {
  tenant: number;
  noteId: string;
  title: string;
}

export interface LoadFailure {
  op: string;
  tenant: string;
  status: number;
  code: string | null;
  reason: string | null;
  message: string;
  at: number;
}

export interface LoadReport {
  ops: Record<string, number>;
  failures: LoadFailure[];
  failureCount: number;
  writes: AckedWrite[];
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  elapsedMs: number;
  opsPerSecond: number;
}

export interface LoadOptions {
  url: string;
  tenants: TenantSeed[];
  users: number;
  durationMs: number;
  /** Stop early (e.g. the test has seen enough). */
  signal?: AbortSignal;
  /** Per-request timeout; a hung request counts as a failure, never a hang of the suite. */
  requestTimeoutMs?: number;
  /** Called for every failure as it happens (fault tests classify them). */
  onFailure?: (f: LoadFailure) => void;
  /** Access tokens already held, by tenant index (e.g. from a warm-up pass). */
  tokens?: Map<number, string>;
  /** Which tenant a user works on next (default: any, at random); a negative index ends that user. */
  pick?: (rng: () => number) => number;
  /** Only sign in (a warm-up pass), no reads or writes. */
  loginOnly?: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const ops: Record<string, number> = {};
  const failures: LoadFailure[] = [];
  let failureCount = 0;
  const writes: AckedWrite[] = [];
  const latencies: number[] = [];
  const tokens = opts.tokens ?? new Map<number, string>();
  const ownWrites = new Map<number, string[]>();
  const started = Date.now();
  const deadline = started + opts.durationMs;
  const runId = randomBytes(3).toString("hex");
  let seq = 0;

  const timed = async (
    op: string,
    tenant: number,
    p: (signal: AbortSignal) => Promise<CallResult>,
  ): Promise<CallResult | null> => {
    const t0 = performance.now();
    let r: CallResult;
    try {
      r = await p(AbortSignal.timeout(opts.requestTimeoutMs ?? 15_000));
    } catch (err) {
      r = {
        status: 0,
        ok: false,
        data: null,
        code: "NETWORK",
        reason: null,
        message: (err as Error).message,
        raw: "",
        headers: new Headers(),
      };
    }
    latencies.push(performance.now() - t0);
    ops[op] = (ops[op] ?? 0) + 1;
    if (r.ok) return r;
    failureCount++;
    const f: LoadFailure = {
      op,
      tenant: opts.tenants[tenant]?.slug ?? String(tenant),
      status: r.status,
      code: r.code,
      reason: r.reason,
      message: r.message ?? r.raw.slice(0, 200),
      at: Date.now() - started,
    };
    if (failures.length < 200) failures.push(f);
    opts.onFailure?.(f);
    return null;
  };

  const login = async (i: number): Promise<string | null> => {
    const seed = opts.tenants[i];
    if (!seed) return null;
    const r = await timed("auth.login", i, (signal) =>
      callProcedure(
        opts.url,
        "app",
        "mutation",
        "auth.login",
        { email: seed.email, password: OWNER_PASSWORD, tenantSlug: seed.slug },
        { signal },
      ),
    );
    const out = r?.data as { status?: string; accessToken?: string } | undefined;
    if (!out?.accessToken) return null;
    tokens.set(i, out.accessToken);
    return out.accessToken;
  };

  const loginsUnderWay = new Map<number, Promise<string | null>>();
  const sharedLogin = (i: number): Promise<string | null> => {
    const underWay = loginsUnderWay.get(i);
    if (underWay) return underWay;
    const p = login(i).finally(() => loginsUnderWay.delete(i));
    loginsUnderWay.set(i, p);
    return p;
  };

  const user = async () => {
    const rng = Math.random;
    while (Date.now() < deadline && !opts.signal?.aborted) {
      const i = opts.pick ? opts.pick(rng) : Math.floor(rng() * opts.tenants.length);
      if (i < 0) break;
      if (opts.loginOnly) {
        await login(i);
        continue;
      }
      // Sign in on first use of a tenant and now and then again, as real users do. The virtual
      // users share each tenant's owner account, so a sign-in already under way is joined, not
      // repeated: six parallel sign-ins to one account from one address is what the login limit
      // refuses (it counts attempts before their passwords are verified), not what users do.
      let token = tokens.get(i);
      if (!token || rng() < 0.1) token = (await sharedLogin(i)) ?? undefined;
      if (!token) continue;
      const call = (op: string, type: "query" | "mutation", input: unknown) =>
        timed(op, i, (signal) =>
          callProcedure(opts.url, "app", type, op, input, { token, signal }),
        );
      const roll = rng();
      if (roll < 0.4) {
        const title = `load ${runId} ${i} ${seq++}`;
        const r = await call("notes.create", "mutation", {
          title,
          body: `written by virtual user for ${opts.tenants[i]?.slug}`,
          tags: ["load"],
        });
        const note = r?.data as { id?: string; title?: string } | undefined;
        if (note?.id) {
          writes.push({ tenant: i, noteId: note.id, title });
          const mine = ownWrites.get(i) ?? [];
          mine.push(note.id);
          ownWrites.set(i, mine);
        }
      } else if (roll < 0.6) {
        const mine = ownWrites.get(i);
        const id = mine?.[Math.floor(rng() * mine.length)];
        if (id) await call("notes.get", "query", { id });
        else await call("auth.me", "query", undefined);
      } else if (roll < 0.9) {
        await call("notes.list", "query", { limit: 10 });
      } else {
        await call("auth.me", "query", undefined);
      }
    }
  };

  await Promise.all(Array.from({ length: opts.users }, user));
  const elapsedMs = Date.now() - started;
  latencies.sort((a, b) => a - b);
  const total = Object.values(ops).reduce((a, b) => a + b, 0);
  return {
    ops,
    failures,
    failureCount,
    writes,
    latencyMs: {
      p50: Math.round(percentile(latencies, 50)),
      p95: Math.round(percentile(latencies, 95)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(latencies[latencies.length - 1] ?? 0),
    },
    elapsedMs,
    opsPerSecond: Math.round((total * 1000) / Math.max(1, elapsedMs)),
  };
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function forEachLimited<T>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
    }),
  );
}
