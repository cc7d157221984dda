export interface WaitForHttpOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Which status counts as up; by default anything below 500 (a login redirect is up). */
  ready?: (status: number) => boolean;
  /** Checked before each try: a reason (e.g. "the server exited") stops the wait at once. */
  failed?: () => string | null;
}

/** Polls `url` (without following redirects) until it answers as `ready` wants. */
export async function waitForHttp(url: string, opts: WaitForHttpOptions = {}): Promise<void> {
  const { timeoutMs = 60_000, intervalMs = 100, ready = (s) => s < 500 } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = opts.failed?.();
    if (why) throw new Error(why);
    try {
      const res = await fetch(url, { redirect: "manual" });
      await res.body?.cancel();
      if (ready(res.status)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
