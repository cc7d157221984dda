// The standalone server's production build: one ESM file (plus a lazy chunk for the dev-only
// embedded database) that Node 20 runs directly, so production and the bench start without tsx.
// Workspace packages ship TypeScript source, so they are bundled; every npm package stays an
// import, resolved from this package's node_modules at run time.
import { defineConfig } from "tsdown";

export default defineConfig({
  // register-tracing runs first (`node --import`), so OpenTelemetry patches http and the driver
  // before main loads them.
  entry: { main: "src/server/main.ts", "register-tracing": "src/observation/register-tracing.ts" },
  outDir: "dist",
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  sourcemap: true,
  deps: {
    alwaysBundle: [/^@tenantry\//],
    neverBundle: [/^(?!@tenantry\/)[^./]/],
  },
});
