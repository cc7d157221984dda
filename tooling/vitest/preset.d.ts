// Types for preset.js so packages' vitest.config.ts typecheck under strict mode.
import type { UserConfig } from "vitest/config";

export declare const preset: UserConfig;
export default preset;
