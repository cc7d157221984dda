// Runs in the browser before the app's own code (Next's client instrumentation hook): zod must be
// jitless before any module builds a schema, or its `new Function` probe is a CSP violation
// (route chunks that Next prefetches can build schemas before @tenantry/ui's index has run).
import "@tenantry/ui/zod-browser";
