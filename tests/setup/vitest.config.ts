import { preset } from "@tenantry/vitest-config";
import { defineProject, mergeConfig } from "vitest/config";

// One clone, one cold install from the registry: minutes, not seconds, on a busy 2-core machine.
export default mergeConfig(
  preset,
  defineProject({ test: { testTimeout: 600_000, hookTimeout: 600_000 } }),
);
