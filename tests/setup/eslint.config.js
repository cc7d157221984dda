import base from "@tenantry/eslint-config/base";

export default [
  ...base,
  {
    // The whole package is a test suite: it launches servers as child processes with their env.
    files: ["src/**"],
    rules: { "no-restricted-properties": "off" },
  },
];
