import { preset } from "@tenantry/vitest-config";
import { defineProject, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineProject({ test: { globalSetup: ["test/build-once.ts"] } }),
);
