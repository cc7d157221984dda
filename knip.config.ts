// knip (run by `pnpm lint`): unused files, exports and dependencies fail. Entries beyond what
// knip's plugins find (package.json scripts and exports, vitest, Next, Playwright, ESLint) are the
// files started by path rather than imported.
import { existsSync } from "node:fs";
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  // util-linux's `script` gives the CLI test a terminal; an OS command, not a package.
  ignoreBinaries: ["script"],
  // The audit's security suite is written in parallel branches; until its first file lands,
  // the dependencies it declares have nothing to be used by.
  ignoreWorkspaces: existsSync("tests/security/src") ? [] : ["tests/security"],
  workspaces: {
    ".": { project: ["scripts/**/*.mjs", "*.ts"] },
    // Each runs in its own process, spawned by src/processes/child-process.ts.
    bench: { entry: ["src/processes/*-process.ts"] },
    // Tests start scripts with `node --import tsx`, which no import shows.
    "packages/tenancy": { ignoreDependencies: ["tsx"] },
    "tests/reliability": {
      // Started as a child process by src/child-processes.ts ...
      entry: ["scripts/*.ts"],
      // ... as is embedded-mongo's CLI, found with import.meta.resolve.
      ignoreDependencies: ["@tenantry/embedded-mongo"],
    },
    // The Next TypeScript plugin, resolved from the app that extends nextjs.json.
    "tooling/typescript": { ignoreUnresolved: ["next"] },
  },
};

export default config;
