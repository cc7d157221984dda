// dependency-cruiser (run by `pnpm lint`): the dependency direction of docs/package-interfaces.md
// and no import cycles, type-only imports included.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Import cycles (type-only ones too) make load order and ownership unclear.",
      from: {},
      to: { circular: true },
    },
    {
      name: "tenancy-is-framework-free",
      severity: "error",
      comment:
        "@tenantry/tenancy takes no tRPC, HTTP, React or Next: the api and apps sit on it, not the other way round. One exception: the webhook sender (an outbound delivery adapter, like the SMTP mailer) and its tests' local receivers use node:http(s) as clients.",
      from: {
        path: "^packages/tenancy/",
        pathNot:
          "^packages/tenancy/src/webhooks/(webhook-sender\\.ts|[^/]+\\.integration\\.test\\.ts)$",
      },
      // Resolved (a node_modules path) or not (the bare name, when tenancy does not depend on it).
      to: {
        path: "(^|/node_modules/)(@trpc/|next($|/)|react($|/)|react-dom($|/))|^(node:)?(http|https|http2)$",
      },
    },
    {
      name: "policies-are-dependency-free",
      severity: "error",
      comment:
        "@tenantry/tenancy/policies runs in browsers too (forms): it imports nothing but its own files.",
      from: { path: "^packages/tenancy/src/policies/", pathNot: "\\.test\\.ts$" },
      to: { pathNot: "^packages/tenancy/src/policies/" },
    },
    {
      name: "tenancy-knows-no-module",
      severity: "error",
      comment:
        "Tenant modules (modules/*) build on @tenantry/tenancy and are registered by the app; tenancy never imports one.",
      from: { path: "^packages/tenancy/" },
      to: { path: "^modules/" },
    },
    {
      name: "modules-use-the-api-module-kit",
      severity: "error",
      comment:
        "A module reaches the api only through @tenantry/api/module-kit (and its tests through @tenantry/api/testing), so api internals can move.",
      from: { path: "^modules/" },
      to: { path: "^packages/api/(?!src/module-kit\\.ts$|test/api-harness\\.ts$)" },
    },
    {
      name: "embedded-mongo-stands-alone",
      severity: "error",
      comment:
        "@tenantry/embedded-mongo imports nothing of ours (but the shared lint and test presets): it stands in for MongoDB.",
      from: { path: "^packages/embedded-mongo/" },
      to: {
        path: "^(packages/(?!embedded-mongo/)|apps/|tests/|bench/|examples/|tooling/(?!vitest/|eslint/)|@tenantry/(?!vitest-config$|eslint-config/))",
      },
    },
    {
      name: "client-takes-types-from-api",
      severity: "error",
      comment:
        "@tenantry/client imports only types from @tenantry/api (import type), never its runtime.",
      from: { path: "^packages/client/src/", pathNot: "\\.test\\.ts$" },
      to: { path: "^packages/api/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "test-kit-only-in-tests",
      severity: "error",
      comment:
        "@tenantry/test-kit is test infrastructure: tests, e2e suites, benches and test scripts use it, shipped code never.",
      from: {
        path: "^(packages|apps|modules)/",
        pathNot: "(\\.test\\.tsx?$|/test/|/e2e/|/bench/|/scripts/|playwright\\.config\\.ts$)",
      },
      to: { path: "^tooling/test-kit/" },
    },
    {
      name: "raw-control-only-in-tests",
      severity: "error",
      comment:
        "tenancy's testing entry hands out the raw control models: tests and benches scan or stage with it; shipped code goes through the use cases.",
      from: {
        pathNot:
          "(\\.test\\.tsx?$|/test/|/e2e/|/bench/|^bench/|^tests/|^packages/tenancy/src/testing\\.ts$)",
      },
      to: { path: "^packages/tenancy/src/testing\\.ts$" },
    },
    {
      name: "test-kit-takes-no-app-code",
      severity: "error",
      comment:
        "The kit starts embedded-mongo and nothing else of ours: the packages whose tests use it must not be its dependencies (routers come in as type parameters).",
      from: { path: "^tooling/test-kit/" },
      to: { path: "^(packages/(?!embedded-mongo/)|apps/|modules/|tests/|bench/)" },
    },
  ],
  options: {
    // Type-only imports count: they are edges of the graph like any other.
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.next|dist|test-results|coverage)/" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
    moduleSystems: ["es6", "cjs"],
  },
};
