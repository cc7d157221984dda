// The tracer tRPC call spans come from, and how a call span is closed. Only @opentelemetry/api
// here (no SDK), so the tRPC setup imports it cheaply; tracing.ts sets the tracer when it starts.
import type { Span, Tracer } from "@opentelemetry/api";
import { SpanStatusCode } from "@opentelemetry/api";

let tracer: Tracer | null = null;

/** The tracer for tRPC call spans, or null when tracing is off. */
export function callTracer(): Tracer | null {
  return tracer;
}

export function setCallTracer(next: Tracer | null): void {
  tracer = next;
}

/** Closes a tRPC call span: the tenant (once known), the outcome, an error status when not ok. */
export function endCallSpan(span: Span, tenantId: string | null, outcome: string): void {
  if (tenantId) span.setAttribute("tenant.id", tenantId);
  span.setAttribute("trpc.outcome", outcome);
  if (outcome !== "ok") span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
  span.end();
}
