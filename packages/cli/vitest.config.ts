import { preset } from "@tenantry/vitest-config";
import { defineProject, mergeConfig } from "vitest/config";

// Each test runs the real binary several times (a Node start plus tsx each); on a loaded 2-core
// machine one call can take seconds, so a test gets more than the preset's 30 s.
export default mergeConfig(preset, defineProject({ test: { testTimeout: 120_000 } }));
