import { preset } from "@tenantry/vitest-config";
import { defineProject, mergeConfig } from "vitest/config";

// Each file starts its own servers as child processes; running them one at a time keeps the
// timing assertions (2 s unavailability, recovery) honest on a 2-core machine.
export default mergeConfig(preset, defineProject({ test: { fileParallelism: false } }));
