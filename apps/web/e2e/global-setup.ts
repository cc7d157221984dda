import { stackSetup } from "@tenantry/e2e/stack";

// The web suite also drives the admin app (creating, suspending, impersonating).
export default stackSetup(["web", "admin"]);
