import { preset } from "@tenantry/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

// The security suite: one file per class of the audit, each against the HTTP surfaces of a real
// stack it starts itself. Files run one at a time: they time argon2 and race requests.
export default mergeConfig(
  preset,
  defineConfig({ test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 } }),
);
