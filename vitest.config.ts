// Root vitest 4 projects config: `pnpm vitest` here runs every package's suite in one go.
// turbo's `test` task runs each package on its own (cached per package).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
  },
});
