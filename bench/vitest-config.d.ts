// The shared vitest preset is plain JavaScript; this gives it a type for vitest.config.ts.
declare module "@tenantry/vitest-config" {
  import type { UserConfig } from "vitest/config";
  export const preset: UserConfig;
}
