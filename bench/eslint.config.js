import base from "@tenantry/eslint-config/base";

// The whole package is a bench: it configures its child processes through the environment.
export default [...base, { rules: { "no-restricted-properties": "off" } }];
