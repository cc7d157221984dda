#!/usr/bin/env node
// Runs the TypeScript source through tsx (no build step), resolved from this file, not the cwd.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../src/main.ts");
process.exitCode = await run(process.argv.slice(2));
