// Tracing over the real stack: HTTP through tRPC to the embedded server over the wire. The SDK
// starts before the harness loads mongoose and the driver (instrumentations patch modules as they
// load), with an in-memory exporter in place of OTLP.
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../test/api-harness";
import { startTracing } from "./tracing";

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const { appClient, startHarness } = await import("../../test/api-harness");

let h: Harness;
let alpha: TenantFixture;
let bravo: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  alpha = await h.tenant("tr-alpha");
  bravo = await h.tenant("tr-bravo");
});
afterAll(async () => {
  await h?.stop();
  await tracing.shutdown();
});

/** The one finished span of tRPC call `name` since the last reset. */
function callSpan(name: string): ReadableSpan {
  const spans = exporter.getFinishedSpans().filter((s) => s.name === `trpc app:${name}`);
  if (spans.length !== 1 || !spans[0]) throw new Error(`${spans.length} spans for ${name}`);
  return spans[0];
}
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
/** Which instrumentation made the span: "mongoose", "mongodb", "http", or our own tracer. */
const scope = (s: ReadableSpan) =>
  s.instrumentationScope.name.replace(/^@opentelemetry\/instrumentation-/, "");
/** Every span below `root` in its trace, at any depth. */
function descendants(root: ReadableSpan): ReadableSpan[] {
  const all = exporter
    .getFinishedSpans()
    .filter((s) => s.spanContext().traceId === root.spanContext().traceId);
  const ids = new Set([root.spanContext().spanId]);
  const found: ReadableSpan[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const s of all) {
      const parent = parentOf(s);
      if (parent && ids.has(parent) && !ids.has(s.spanContext().spanId)) {
        ids.add(s.spanContext().spanId);
        found.push(s);
        grew = true;
      }
    }
  }
  return found;
}

describe("OpenTelemetry spans", () => {
  it("makes each tRPC call a span with tenant.id, procedure and outcome, under the HTTP span", async () => {
    exporter.reset();
    await alpha.client.notes.create.mutate({ title: "traced", body: "b", tags: [] });
    await bravo.client.notes.list.query();
    const create = callSpan("notes.create");
    const list = callSpan("notes.list");
    expect(create.attributes).toMatchObject({
      "tenant.id": alpha.id,
      "trpc.procedure": "notes.create",
      "trpc.surface": "app",
      "trpc.type": "mutation",
      "trpc.outcome": "ok",
    });
    expect(list.attributes).toMatchObject({ "tenant.id": bravo.id, "trpc.outcome": "ok" });
    const http = exporter
      .getFinishedSpans()
      .find((s) => s.kind === SpanKind.SERVER && s.spanContext().spanId === parentOf(create));
    expect(http?.name).toBe("POST");
  });

  it("makes mongoose and driver calls children of the call span", async () => {
    exporter.reset();
    // members.list reads through a mongoose model (notes.list reads through the driver alone).
    await alpha.client.members.list.query({});
    const below = descendants(callSpan("members.list"));
    const query = below.find((s) => scope(s) === "mongoose");
    expect(query?.name).toBe("find users");
    // The driver's find command is in the call's tree too (mongoose's instrumentation does not
    // make its span the active one, so the driver span sits beside it), on the tenant's database.
    const find = below.find((s) => scope(s) === "mongodb" && s.name === "find users");
    expect(find?.name).toBe("find users");
    expect(find?.attributes["db.name"] ?? find?.attributes["db.namespace"]).not.toBe(
      h.controlDbName,
    );
  });

  it("makes a driver read of notes.list a child of the call span", async () => {
    exporter.reset();
    await alpha.client.notes.list.query();
    const below = descendants(callSpan("notes.list"));
    const find = below.find((s) => scope(s) === "mongodb" && s.name === "find notes");
    expect(find?.name).toBe("find notes");
    expect(find?.attributes["db.name"] ?? find?.attributes["db.namespace"]).not.toBe(
      h.controlDbName,
    );
  });

  it("makes a document save and its driver insert children of the call span", async () => {
    exporter.reset();
    await alpha.client.notes.create.mutate({ title: "child spans", body: "b", tags: [] });
    const spans = descendants(callSpan("notes.create")).map((s) => `${scope(s)}: ${s.name}`);
    // Model.create goes through mongoose's save (patched as $save) down to the driver's insert.
    expect(spans).toContain("mongoose: save notes");
    expect(spans).toContain("mongodb: insert notes");
  });

  it("records a refused call with its error code as outcome and an error status", async () => {
    exporter.reset();
    await appClient(h.url)
      .notes.list.query()
      .catch(() => undefined);
    const refused = callSpan("notes.list");
    expect(refused.attributes["trpc.outcome"]).toBe("UNAUTHORIZED");
    expect(refused.attributes["tenant.id"]).toBeUndefined();
    expect(refused.status.code).toBe(SpanStatusCode.ERROR);
  });
});
