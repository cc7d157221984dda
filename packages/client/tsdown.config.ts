// The published build: ESM JavaScript plus one bundled .d.ts (src/router-types.ts says how the
// api's router types reach it without the server's). @trpc/client and superjson stay imports.
import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts" },
  outDir: "dist",
  format: "esm",
  platform: "node",
  target: "node20",
  // A few admin outputs name tenancy's interfaces (MigrateResult, PoolStats, AuditEntry).
  // Reached through node_modules, tsc counts workspace packages as external libraries and emits
  // no declarations for them; tsconfig.build.json maps them by path, so they are source and the
  // interfaces an output names are inlined.
  dts: { tsconfig: "tsconfig.build.json" },
  // Inline only our workspace's declarations; any other package stays an import, which
  // scripts/build.ts refuses unless an installer has it (tree-shaking drops the unused ones).
  deps: { neverBundle: [/^(?!@tenantry\/)[^./]/] },
  // A declaration that could not be inlined is a warning (the type silently becomes undefined).
  failOnWarn: true,
  checks: { pluginTimings: false },
});
