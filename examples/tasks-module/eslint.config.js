import base from "@tenantry/eslint-config/base";

export default base;
