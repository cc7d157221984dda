// OpenTelemetry tracing: the Node SDK with the HTTP, MongoDB driver and mongoose instrumentations.
// Started only when the OTEL_* variables ask for it (see env.ts); otherwise nothing is loaded and
// `callTracer()` (call-tracer.ts) stays null, so the tRPC middleware skips tracing with one null check per call.
import { createRequire } from "node:module";

import { trace } from "@opentelemetry/api";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { MongoDBInstrumentation } from "@opentelemetry/instrumentation-mongodb";
import { MongooseInstrumentation } from "@opentelemetry/instrumentation-mongoose";
import type { NodeSDKConfiguration } from "@opentelemetry/sdk-node";
import { NodeSDK } from "@opentelemetry/sdk-node";

import { setCallTracer } from "./call-tracer";

export interface TracingHandle {
  shutdown(): Promise<void>;
}

/**
 * Starts the SDK. Call it before mongoose and the driver are loaded (`--import` the register
 * module): instrumentations patch modules as they load. Without `spanProcessors` the SDK builds
 * the OTLP exporter from OTEL_EXPORTER_OTLP_* itself.
 */
export function startTracing(
  opts: { spanProcessors?: NodeSDKConfiguration["spanProcessors"] } = {},
): TracingHandle {
  const sdk = new NodeSDK({
    serviceName: "tenantry-api",
    // Traces only: metrics stay with prom-client (/metrics), logs with pino.
    metricReaders: [],
    logRecordProcessors: [],
    ...(opts.spanProcessors ? { spanProcessors: opts.spanProcessors } : {}),
    instrumentations: [
      // Health checks and scrapes would drown the traces of real calls.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ""),
      }),
      // Only inside a traced request: the registry's 250 ms poll would otherwise be a root trace
      // of its own four times a second. Statement text is left out: filters can hold personal data.
      new MongoDBInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new MongooseInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  // mongoose is CommonJS but reached through ESM imports, which require-in-the-middle never sees
  // (and import-in-the-middle misses under vitest). Requiring it once here, after start(), lets
  // the instrumentation patch the one shared instance every later import gets.
  createRequire(import.meta.url)("mongoose");
  setCallTracer(trace.getTracer("@tenantry/api"));
  return {
    async shutdown() {
      setCallTracer(null);
      await sdk.shutdown();
    },
  };
}
