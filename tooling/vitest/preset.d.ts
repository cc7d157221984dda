// Types for preset.js so packages' vitest.config.ts typecheck under strict mode.
import type { ViteUserConfig } from "vitest/config";

export declare const preset: ViteUserConfig;
