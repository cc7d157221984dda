import { stackSetup } from "@tenantry/e2e/stack";

export default stackSetup(["admin"]);
