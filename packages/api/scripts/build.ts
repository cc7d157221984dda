// `pnpm --filter @tenantry/api build`: tsdown through its API with tsdown.config.ts. Its CLI
// entry prints "Node.js v20 is deprecated ... please upgrade" on every run, although this
// version supports Node 20 (the machine's); that line asks the user to act, so it is avoided.
import { build } from "tsdown";

await build({});
