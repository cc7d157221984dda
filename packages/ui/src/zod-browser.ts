import { z } from "zod";

// zod 4 probes `new Function("")` when it builds its first object schema, to compile fast
// parsers. The apps' CSP has no 'unsafe-eval', so in the browser that probe is reported as a
// violation even though zod catches it; the browser-side forms are small, so they parse jitless.
// The server (tRPC input parsing) keeps the compiled fast path. Imported by index.ts before
// anything else so it runs before any app module builds a schema.
if (typeof window !== "undefined") z.config({ jitless: true });
