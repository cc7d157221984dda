// Per-request CPU by layer from a V8 CPU profile (.cpuprofile) of the API under load. Each sample
// goes to the layer of its nearest frame that belongs to a package or to our code; Node's own
// internals (streams, sockets, buffers) count for whoever called them, so a socket write by the
// driver is the driver's and one by the HTTP server is the HTTP adapter's. Samples with no such
// frame are Node's HTTP server itself (parsing, the event loop's socket work) unless V8 names them.
// Frames in the compiled server bundle are mapped back to their source file through its source map.
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export const LAYERS = [
  "HTTP adapter (node:http, fetch Request/Response)",
  "tRPC (routing, middleware, context)",
  "input validation (zod)",
  "auth (JWT, session check)",
  "tenancy lease (registry, handles, concurrency)",
  "mongoose",
  "MongoDB driver + BSON",
  "serialisation (superjson format)",
  "logging and metrics",
  "request handler (notes.list; the bare handler's own code, with its res.end)",
  "promise / async-hook machinery",
  "garbage collection",
  "other",
] as const;
type Layer = (typeof LAYERS)[number];

const RULES: [RegExp, Layer][] = [
  [
    /\/api\/src\/(server|http)\/|\/adapters\/|internal\/deps\/undici|internal\/webstreams|internal\/abort_controller|internal\/event_target|internal\/url|node:url/,
    LAYERS[0],
  ],
  [/\/api\/src\/(trpc|context|api-errors|root)\.ts|@trpc\//, LAYERS[1]],
  [/\/zod\//, LAYERS[2]],
  [/\/api\/src\/auth\/|\/jose\//, LAYERS[3]],
  [/\/tenancy\/|lru-cache/, LAYERS[4]],
  [/\/(mongoose|kareem|mquery|sift|mpath)\//, LAYERS[5]],
  [/\/(mongodb|bson)\//, LAYERS[6]],
  [/output-transformer|\/(superjson|copy-anything)\//, LAYERS[7]],
  [
    /\/api\/src\/metrics|\/(pino|sonic-boom|pino-std-serializers)\/|\/observation|\/tracing/,
    LAYERS[8],
  ],
  [/\/routers\/|\/bench\/src\/processes\//, LAYERS[9]],
];

function layerOf(url: string): Layer | null {
  for (const [re, layer] of RULES) if (re.test(url)) return layer;
  // Node internals and natives defer to their caller; any other package is "other".
  if (!url || url.startsWith("node:")) return null;
  return "other";
}

/** Where a frame-less sample (only Node internals on its stack) goes, by its root-most frame. */
function internalsLayer(urls: string[]): Layer {
  if (urls.some((u) => /_http_|node:http|internal\/http/.test(u))) return LAYERS[0];
  if (urls.some((u) => /task_queues|async_hooks|promise_hooks/.test(u))) return LAYERS[10];
  if (urls.some((u) => /node:net|stream/.test(u))) return LAYERS[0];
  return "other";
}

const sourceMaps = new Map<string, SourceMap | null>();

/** The original source file of a frame in a bundle that has a source map next to it. */
function sourceUrl(frame: ProfileNode["callFrame"]): string {
  const { url } = frame;
  if (!url.startsWith("file:") || !url.endsWith(".mjs")) return url;
  let map = sourceMaps.get(url);
  if (map === undefined) {
    const file = `${fileURLToPath(url)}.map`;
    map = existsSync(file)
      ? new SourceMap(
          JSON.parse(readFileSync(file, "utf8")) as ConstructorParameters<typeof SourceMap>[0],
        )
      : null;
    sourceMaps.set(url, map);
  }
  if (!map) return url;
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
  return entry.originalSource ? new URL(entry.originalSource, url).href : url;
}

export interface Breakdown {
  /** CPU ms per layer over the profiled window (idle and the profiler's own work excluded). */
  ms: Map<Layer, number>;
  busyMs: number;
  wallMs: number;
}

function breakdown(profile: CpuProfile): Breakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, Layer | "idle" | "skip">();
  const classify = (id: number): Layer | "idle" | "skip" => {
    const hit = memo.get(id);
    if (hit) return hit;
    const node = byId.get(id);
    const fn = node?.callFrame.functionName;
    let out: Layer | "idle" | "skip";
    if (fn === "(idle)") out = "idle";
    else if (fn === "(garbage collector)") out = LAYERS[11];
    else if (fn === "(program)") out = "other";
    else {
      const urls: string[] = [];
      let found: Layer | null = null;
      for (let cur = node; cur && !found; cur = byId.get(parent.get(cur.id) ?? -1)) {
        const url = sourceUrl(cur.callFrame);
        if (url === "node:inspector" || url.startsWith("node:inspector")) {
          found = null;
          urls.length = 0;
          urls.push("skip");
          break;
        }
        found = layerOf(url);
        urls.push(url);
      }
      out = found ?? (urls[0] === "skip" ? "skip" : internalsLayer(urls));
    }
    memo.set(id, out);
    return out;
  };
  const ms = new Map<Layer, number>(LAYERS.map((l) => [l, 0]));
  let busy = 0;
  let wall = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    wall += dt;
    const layer = classify(id);
    if (layer === "idle" || layer === "skip") return;
    ms.set(layer, (ms.get(layer) ?? 0) + dt);
    busy += dt;
  });
  return { ms, busyMs: busy, wallMs: wall };
}

export async function readBreakdown(file: string): Promise<Breakdown> {
  return breakdown(JSON.parse(await readFile(file, "utf8")) as CpuProfile);
}
