import next from "@tenantry/eslint-config/nextjs";

export default next;
