// Whether OpenTelemetry tracing is on, read once from the standard OTEL_* variables. The SDK reads
// the rest of them itself (headers, protocol, service name, sampler); this module only decides
// whether to start it, and refuses an endpoint that is not a URL with a readable message.
import { z } from "zod";

const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);

const schema = z.object({
  OTEL_SDK_DISABLED: z.preprocess(unsetIfEmpty, z.enum(["true", "false"]).optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(unsetIfEmpty, z.url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(unsetIfEmpty, z.url().optional()),
  /** "otlp" (the default), "console" or "none"; a list is allowed by the spec. */
  OTEL_TRACES_EXPORTER: z.preprocess(unsetIfEmpty, z.string().optional()),
});

export interface TracingEnv {
  /** An OTLP endpoint is set, the SDK is not disabled and the traces exporter is not "none". */
  enabled: boolean;
}

export function loadTracingEnv(
  source: Record<string, string | undefined> = process.env,
): TracingEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid OpenTelemetry environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const exporters = (e.OTEL_TRACES_EXPORTER ?? "otlp").split(",").map((s) => s.trim());
  const hasEndpoint = !!(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  return {
    enabled: e.OTEL_SDK_DISABLED !== "true" && hasEndpoint && !exporters.includes("none"),
  };
}
