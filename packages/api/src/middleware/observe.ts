// Observation: every call gets a log line, a metrics sample and (tracing on) a span. Outermost, so
// it sees each refusal and each mapped domain error with its final code.
import type { Span } from "@opentelemetry/api";
import type { TRPCError } from "@trpc/server";

import type { Context } from "../context";
import { callTracer, endCallSpan } from "../observation/call-tracer";

interface CallOptions<R> {
  ctx: Context;
  path: string;
  type: string;
  next: () => Promise<R>;
}

async function observeCall<R extends { ok: boolean; error?: TRPCError }>(
  { ctx, path, type, next }: CallOptions<R>,
  span: Span | null,
): Promise<R> {
  const started = performance.now();
  const result = await next();
  const error = result.ok ? undefined : result.error;
  const outcome = error ? error.code : "ok";
  const seconds = (performance.now() - started) / 1000;
  ctx.services.metrics.observeCall(ctx.surface, path, outcome, seconds);
  if (span) endCallSpan(span, ctx.state.tenantId, outcome);
  const line = {
    path,
    type,
    outcome,
    ms: Math.round(seconds * 1000),
    ...(ctx.state.tenantId ? { tenantId: ctx.state.tenantId } : {}),
  };
  if (error?.code === "INTERNAL_SERVER_ERROR")
    ctx.log.error({ ...line, err: error.cause ?? error }, "procedure failed");
  else ctx.log.info(line, "procedure");
  return result;
}

// With tracing off callTracer() is null and a call costs one null check; with it on, the call's
// span is the active context, so mongoose and driver spans started inside become its children.
export function observe<R extends { ok: boolean; error?: TRPCError }>(opts: CallOptions<R>) {
  const tracer = callTracer();
  if (tracer === null) return observeCall(opts, null);
  const { surface } = opts.ctx;
  return tracer.startActiveSpan(
    `trpc ${surface}:${opts.path}`,
    {
      attributes: { "trpc.surface": surface, "trpc.procedure": opts.path, "trpc.type": opts.type },
    },
    (span) => observeCall(opts, span),
  );
}
