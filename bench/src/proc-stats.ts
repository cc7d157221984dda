// Samples of what a process holds (the kit's /proc readers): resident memory, its TCP sockets
// to the database port and its open fds, polled while a scenario runs.
import { TCP, fdCount, rssBytes, tcpConnectionsTo } from "@tenantry/test-kit";

export interface ProcSample {
  rssMb: number;
  dbSockets: number;
  fds: number;
}

export async function sample(pid: number, dbPort: number): Promise<ProcSample> {
  const [rss, dbSockets, fds] = await Promise.all([
    rssBytes(pid),
    // Opening connections count as held; closing ones no longer do.
    tcpConnectionsTo(pid, [dbPort], [TCP.ESTABLISHED, TCP.SYN_SENT]),
    fdCount(pid),
  ]);
  return { rssMb: rss / (1024 * 1024), dbSockets, fds };
}

/** Runs `tick` every `everyMs` (after the previous one finished) until `stop()`, which waits for the last. */
export function every(everyMs: number, tick: () => Promise<void>): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await tick();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Samples every `everyMs` until stopped; keeps the maxima (sockets must never exceed the pool). */
export function watch(pid: number, dbPort: number, everyMs = 250) {
  const peak: ProcSample = { rssMb: 0, dbSockets: 0, fds: 0 };
  const poller = every(everyMs, async () => {
    const s = await sample(pid, dbPort).catch(() => null);
    if (s) {
      peak.rssMb = Math.max(peak.rssMb, s.rssMb);
      peak.dbSockets = Math.max(peak.dbSockets, s.dbSockets);
      peak.fds = Math.max(peak.fds, s.fds);
    }
  });
  return {
    async stop(): Promise<ProcSample> {
      await poller.stop();
      return peak;
    },
  };
}
