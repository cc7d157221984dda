// knip (run by `pnpm lint`): unused files, exports and dependencies fail. Entries beyond what
// knip's plugins find (package.json scripts and exports, vitest, Next, Playwright, ESLint) are the
// files started by path rather than imported.
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  // util-linux's `script` gives the CLI test a terminal; an OS command, not a package.
  ignoreBinaries: ["script"],
  workspaces: {
    // scripts/start.mjs runs maildev's binary from node_modules/.bin by path.
    ".": { project: ["scripts/**/*.mjs", "*.ts"], ignoreDependencies: ["maildev"] },
    // The mail catcher's CLI, found with require.resolve and started as a child process.
    "tooling/test-kit": { ignoreDependencies: ["maildev"] },
    // Each runs in its own process, spawned by src/processes/child-process.ts.
    // (and the CPU profiler it preloads with --import).
    bench: { entry: ["src/processes/*-process.ts", "src/processes/*.mjs"] },
    // Bundled by bench/tracing-cost.ts with esbuild and run by path.
    "packages/api": {
      entry: ["bench/*.ts"],
      // The compiled server (tsdown) bundles tenancy and embedded-mongo's source and leaves their
      // npm imports to this package's node_modules: bson and mingo for the dev-only embedded
      // database chunk; argon2, mongodb-connection-string-url, nodemailer, rate-limiter-flexible,
      // otplib and agenda (with its MongoDB backend) for tenancy. No import in the api's own source
      // shows them (mongodb and standardwebhooks it imports itself). The bench smoke test runs the
      // compiled server, so a missing one fails there.
      ignoreDependencies: [
        "bson",
        "mingo",
        "argon2",
        "mongodb-connection-string-url",
        "nodemailer",
        "rate-limiter-flexible",
        "otplib",
        "agenda",
        "@agendajs/mongo-backend",
      ],
    },
    // The profiling load script, run by path under `node --cpu-prof` (see its README).
    "packages/embedded-mongo": { entry: ["bench/*.ts"] },
    // The apps are devDependencies so turbo's ^build builds them before the apps-* tests run
    // them (through @tenantry/e2e/stack); no import shows it.
    "tests/security": { ignoreDependencies: ["@tenantry/web"] },
    "tests/reliability": {
      // Started as a child process by src/child-processes.ts ...
      entry: ["scripts/*.ts"],
      // ... as is embedded-mongo's CLI, found with import.meta.resolve.
      ignoreDependencies: ["@tenantry/embedded-mongo"],
    },
  },
};

export default config;
