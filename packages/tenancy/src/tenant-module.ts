// Tenant modules: an app's own tenant-scoped data, registered with createTenancy({ modules })
// instead of edited into tenant-models.ts. A module brings its schemas (each carrying its
// collection name and indexes), its migrations (versioned on their own ledger, so two modules
// never compete for version numbers) and, optionally, the counts the admin tenant page shows.
import type { Connection, Model, Schema } from "mongoose";

import type { TenantMigration } from "./migrations";
import { modelOn } from "./model-sharing";
import { CORE_LIMITS } from "./policies/plans";
import type { TenantModels } from "./tenant-models";
import { tenantSchemas } from "./tenant-models";

// A schema's document type, whatever its other type parameters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySchema = Schema<any, any, any, any, any, any, any, any>;
/** A module's schemas: model name -> schema. */
export type ModuleSchemas = Record<string, AnySchema>;

export type ModelsOf<S extends ModuleSchemas> = {
  [K in keyof S]: S[K] extends Schema<infer D, infer _M, infer _I, infer _Q, infer _V, infer _S>
    ? Model<D>
    : never;
};

/** What a module's admin stats add to the admin's tenant page. */
export interface ModuleStats {
  /** Shown by name, e.g. { notes: 12 }. */
  counts: Record<string, number>;
  /** The module's newest write, if it keeps one; the page shows the latest over all modules. */
  lastActivityAt: Date | null;
}

export interface TenantModule<S extends ModuleSchemas = ModuleSchemas> {
  /** Unique among the registered modules; names the module's migration ledger. */
  name: string;
  /** Model name -> schema. Model names must not clash with tenancy's own or another module's. */
  schemas: S;
  /** Versions start at 1 and increase; they are counted apart from tenancy's and other modules'. */
  migrations: TenantMigration<ModelsOf<S>>[];
  adminStats?(models: TenantModels & ModelsOf<S>): Promise<ModuleStats>;
  /**
   * The model whose documents are the module's items: the plan limits how many a tenant keeps,
   * under the module's name (e.g. "notes"), checked on the module's creates.
   */
  countedModel?: keyof S & string;
  /**
   * The events the module emits into the tenant's outbox (e.g. "note.created"), offered to
   * webhook endpoints next to tenancy's own (events/catalogue.ts). Names are "<noun>.<verb>".
   */
  events?: readonly string[];
}

/** Identity, for inference: `defineTenantModule({ name, schemas: { Note: noteSchema }, ... })`. */
export function defineTenantModule<const N extends string, const S extends ModuleSchemas>(
  module: TenantModule<S> & { name: N },
): TenantModule<S> & { name: N } {
  return module;
}

/** Whether the scope offers the module's models, i.e. the module is registered with createTenancy. */
export function hasModuleModels<T extends { models: TenantModels }, S extends ModuleSchemas>(
  scope: T,
  module: TenantModule<S>,
): scope is T & { models: TenantModels & ModelsOf<S> } {
  return Object.keys(module.schemas).every((name) => name in scope.models);
}

/** Any module, whatever its schemas (the constraint of module lists). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTenantModule = TenantModule<any>;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;

/** The models every registered module adds to scope.models. */
export type ModulesModels<Ms extends readonly AnyTenantModule[]> = [Ms[number]] extends [never]
  ? unknown
  : UnionToIntersection<ModelsOf<Ms[number]["schemas"]>>;

/** Refuses duplicate module names and model names that shadow another's. */
export function assertModulesDistinct(modules: readonly AnyTenantModule[]): void {
  const names = new Set<string>();
  const owners = new Map<string, string>(Object.keys(tenantSchemas).map((m) => [m, "tenancy"]));
  for (const module of modules) {
    if (names.has(module.name))
      throw new Error(`Tenant module "${module.name}" is registered twice`);
    names.add(module.name);
    // A counted module's items limit goes by its name, beside the core limits.
    if ((CORE_LIMITS as readonly string[]).includes(module.name))
      throw new Error(`Tenant module "${module.name}" is named like a plan limit`);
    for (const model of Object.keys(module.schemas)) {
      const owner = owners.get(model);
      if (owner)
        throw new Error(
          `Model "${model}" of module "${module.name}" is already defined by ${owner}`,
        );
      owners.set(model, `module "${module.name}"`);
    }
  }
}

/** Adds the modules' models to a handle's models, compiled on first access like tenancy's own. */
export function withModuleModels<M>(
  conn: Connection,
  models: TenantModels,
  modules: readonly AnyTenantModule[],
): TenantModels & M {
  const compiled = new Map<string, unknown>();
  for (const module of modules)
    for (const [name, schema] of Object.entries<AnySchema>(module.schemas))
      Object.defineProperty(models, name, {
        enumerable: true,
        get: () => {
          if (!compiled.has(name)) compiled.set(name, modelOn(conn, name, schema as never));
          return compiled.get(name);
        },
      });
  return models as TenantModels & M;
}

/** The modules that declare counted items: their names are limit names too. */
export function countedModules(modules: readonly AnyTenantModule[]): AnyTenantModule[] {
  return modules.filter((m) => m.countedModel !== undefined);
}

/** How many items a counted module holds in the scope's tenant database. */
export function countItems(models: TenantModels, module: AnyTenantModule): Promise<number> {
  const model = (models as unknown as Record<string, Model<unknown>>)[module.countedModel ?? ""];
  if (!model) throw new Error(`Tenant module "${module.name}" declares no counted model`);
  return model.countDocuments({});
}

/** Sums the modules' admin stats; a module without adminStats adds nothing. */
export async function modulesStats(
  models: TenantModels,
  modules: readonly AnyTenantModule[],
): Promise<ModuleStats> {
  const all = await Promise.all(
    modules.map((m) =>
      m.adminStats
        ? m.adminStats(models as never)
        : Promise.resolve({ counts: {}, lastActivityAt: null }),
    ),
  );
  const times = all.map((s) => s.lastActivityAt?.getTime() ?? NaN).filter(Number.isFinite);
  return {
    counts: Object.assign({}, ...all.map((s) => s.counts)) as Record<string, number>,
    lastActivityAt: times.length ? new Date(Math.max(...times)) : null,
  };
}
