import base from "@tenantry/eslint-config/base";

// bin/tenantry.js only registers tsx and imports src/main.ts; it is outside the TypeScript project.
export default [{ ignores: ["bin/**"] }, ...base];
