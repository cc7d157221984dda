// Hooks SIGTERM/SIGINT to a graceful shutdown: stop taking work, drain leases, close clients.
export interface ShutdownTarget {
  shutdown(opts?: { timeoutMs?: number }): Promise<unknown>;
}

export interface ShutdownSignalOptions {
  signals?: NodeJS.Signals[];
  timeoutMs?: number;
  /** Runs first, e.g. to stop the HTTP server from accepting connections. */
  beforeShutdown?: () => Promise<void> | void;
  /** Exit the process afterwards (default true). */
  exit?: boolean;
  onError?: (err: unknown) => void;
}

/** Returns a function that removes the handlers again. */
export function installShutdownHandlers(
  target: ShutdownTarget,
  opts: ShutdownSignalOptions = {},
): () => void {
  const signals = opts.signals ?? ["SIGTERM", "SIGINT"];
  let started = false;
  const handler = (): void => {
    if (started) return;
    started = true;
    void (async () => {
      let code = 0;
      try {
        await opts.beforeShutdown?.();
        await target.shutdown({ timeoutMs: opts.timeoutMs ?? 10_000 });
      } catch (err) {
        code = 1;
        opts.onError?.(err);
      }
      if (opts.exit ?? true) process.exit(code);
    })();
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
