// The shared preset is plain JS; this gives vitest.config.ts its type.
declare module "@tenantry/vitest-config" {
  import type { ViteUserConfig } from "vitest/config";
  export const preset: ViteUserConfig;
  const config: ViteUserConfig;
  export default config;
}
