// For tests and benches only: the raw control models of a Tenancy, to scan the control database
// (the promise checks) or to stage states no use case produces (e.g. a tenant left behind on an
// old schema). Production code never imports this entry; lint keeps it out of src/ outside tests.
import { rawControl } from "./control-access";
import type { ControlModels } from "./control-models";

export function controlModelsOf(tenancy: object): ControlModels {
  const models = rawControl.get(tenancy);
  if (!models) throw new Error("Not a Tenancy made by createTenancy");
  return models;
}
