// `--import` entry of the api server (package.json "serve", deploy/api.Dockerfile): starts tracing
// before the server's modules load, and only when the OTEL_* variables ask for it. Off, it loads
// nothing but env.ts, and tRPC calls see a null tracer.
import { loadTracingEnv } from "./env";

if (loadTracingEnv().enabled) {
  const { startTracing } = await import("./tracing");
  const handle = startTracing();
  // Flush buffered spans on stop; the server's own shutdown handlers run beside this one.
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.once(signal, () => void handle.shutdown().catch(() => undefined));
}
