// Shared vitest preset. Integration tests start real servers, so timeouts are generous and
// files run in separate forked processes (native addons such as argon2 dislike worker threads).
import { defineConfig } from "vitest/config";

export const preset = defineConfig({
  test: {
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/e2e/**", "**/dist/**"],
    reporters: ["default", "junit"],
    outputFile: { junit: "test-results/junit.xml" },
  },
});
