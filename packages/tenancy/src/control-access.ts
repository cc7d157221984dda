// The control models behind each Tenancy, kept off its public interface: every surface goes
// through the use cases. Only `@tenantry/tenancy/testing` reads this (tests scan the database).
import type { ControlModels } from "./control-models";

export const rawControl = new WeakMap<object, ControlModels>();
