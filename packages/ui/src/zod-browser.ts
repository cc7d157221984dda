import { z } from "zod";

// zod 4 probes `new Function("")` when it builds its first object schema, to compile fast
// parsers. The apps' CSP has no 'unsafe-eval', so in the browser that probe is reported as a
// violation even though zod catches it; the browser-side forms are small, so they parse jitless.
// The server (tRPC input parsing) keeps the compiled fast path. Each app's
// instrumentation-client.ts imports it, so it runs before any app module (route chunks Next
// prefetches included) builds a schema; index.ts imports it too, for tests and other hosts.
if (typeof window !== "undefined") z.config({ jitless: true });
