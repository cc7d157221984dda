// `pnpm --filter @tenantry/client build`: tsdown through its API with tsdown.config.ts (its CLI
// prints a Node 20 deprecation notice on every run; see packages/api/scripts/build.ts). Then it
// refuses a declaration file that imports more than the packages an installer gets.
import { readFileSync } from "node:fs";

import { build } from "tsdown";

await build({});

const PUBLISHED_TYPES = new Set(["@trpc/client", "@trpc/server", "superjson"]);
const dts = readFileSync(new URL("../dist/index.d.mts", import.meta.url), "utf8");
const imported = [...dts.matchAll(/(?:from\s+|import\()\s*"([^"]+)"/g)].map((m) => m[1] ?? "");
const foreign = [...new Set(imported)].filter(
  (s) => !PUBLISHED_TYPES.has(s) && !s.startsWith("./"),
);
if (foreign.length > 0) {
  console.error(`dist/index.d.mts imports ${foreign.join(", ")}: an installer would not have them`);
  process.exit(1);
}
