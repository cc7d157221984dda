// One compiled mongoose model per schema, shared by every tenant handle. A mongoose model belongs
// to one connection, and compiling one (conn.model(name, schema)) defines an accessor per path
// and applies the schema's hooks, methods and statics, paid again on every LRU miss for each model
// the request touches. A handle instead gets a subclass of the first compiled model bound to its
// own connection and collection, which is what mongoose itself does for
// conn.model(name, null, collection). `pnpm --filter @tenantry/tenancy bench` measures both.
//
// Model.__subclass is mongoose's internal API, so two of its details are handled here and pinned by
// model-sharing.integration.test.ts:
// - it copies discriminators bound to the parent's connection, which would be another tenant's
//   database: a schema with discriminators is compiled per connection as before;
// - the parent keeps every subclass in a list (to add later discriminators to them), which would
//   grow with every handle ever opened: forgetModels takes a dropped handle's models off it.
import type { Connection, Model, Schema } from "mongoose";

type AnyModel = Model<never>;
interface Subclassable {
  __subclass(conn: Connection, schema: Schema, collection?: string): AnyModel;
  discriminators?: Record<string, unknown> | null;
}

const parents = new WeakMap<Schema, Map<string, AnyModel>>();
const SUBCLASSED = "mongoose#Model#subclassed";

function hasDiscriminators(schema: Schema, model: AnyModel): boolean {
  const s = schema as Schema & { discriminators?: Record<string, unknown> };
  const m = model as unknown as Subclassable;
  return (
    Object.keys(s.discriminators ?? {}).length > 0 || Object.keys(m.discriminators ?? {}).length > 0
  );
}

/** `name` on `conn` from `schema`: the connection's own if it has one, else a subclass of the shared one. */
export function modelOn<T>(conn: Connection, name: string, schema: Schema): Model<T> {
  const existing = conn.models[name];
  if (existing) return existing;
  let byName = parents.get(schema);
  const parent = byName?.get(name);
  if (!parent || hasDiscriminators(schema, parent)) {
    const compiled = conn.model(name, schema) as unknown as AnyModel;
    if (!byName) parents.set(schema, (byName = new Map()));
    if (!parent) byName.set(name, compiled);
    return compiled as unknown as Model<T>;
  }
  const sub = (parent as unknown as Subclassable).__subclass(conn, schema);
  // As conn.model() does: populate() and conn.model(name) look models up here.
  (conn.models as Record<string, unknown>)[name] = sub;
  return sub as unknown as Model<T>;
}

/** The list mongoose keeps of a model's subclasses (undefined for a model never subclassed). */
function subclassesOf(model: unknown): unknown[] | undefined {
  if (!model) return undefined;
  const m = model as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(m).find((s) => s.description === SUBCLASSED);
  const list = key ? m[key] : undefined;
  return Array.isArray(list) ? list : undefined;
}

/** Takes a dropped connection's subclassed models off their parents' lists (see above). */
export function forgetModels(conn: Connection): void {
  for (const model of Object.values(conn.models)) {
    const list = subclassesOf(Object.getPrototypeOf(model));
    const i = list ? list.indexOf(model) : -1;
    if (!list || i < 0) continue;
    list[i] = list[list.length - 1];
    list.pop();
  }
}

/** Subclasses the parent model of (schema, name) holds (tests: it stays bounded). */
export function subclassCount(schema: Schema, name: string): number {
  return subclassesOf(parents.get(schema)?.get(name))?.length ?? 0;
}
