// Creating a model's collection and its schema's indexes, for the control database, tenant
// migrations, the event outbox and webhooks. Mongoose's createCollection + createIndexes sends one
// command for the collection and one per index, one after another; a new tenant's 13 collections
// took 48 such round trips, the largest share of provisioning's. A single createIndexes command
// carries every index of a schema and creates the collection too.
import type { IndexDescription } from "mongodb";
import type { Model } from "mongoose";

const NAMESPACE_EXISTS = 48;

/** Schema options that shape the collection itself or its index options: left to mongoose. */
const MONGOOSE_ONLY_OPTIONS = [
  "capped",
  "timeseries",
  "collation",
  "clusteredIndex",
  "expireAfterSeconds",
  "changeStreamPreAndPostImages",
  "writeConcern",
] as const;

/** The schema's indexes as createIndexes takes them, or null when mongoose must decorate them. */
function plainIndexes(model: Model<never>): IndexDescription[] | null {
  const schema = model.schema as Model<never>["schema"] & { _baseSchema?: unknown };
  const options = schema.options as Record<string, unknown>;
  if (schema._baseSchema || model.discriminators) return null;
  // Mongoose sets `capped: false` on every schema: only a value that asks for something counts.
  if (MONGOOSE_ONLY_OPTIONS.some((name) => options[name] != null && options[name] !== false))
    return null;
  const out: IndexDescription[] = [];
  for (const [key, indexOptions] of schema.indexes()) {
    const { _autoIndex, ...rest } = indexOptions as Record<string, unknown>;
    // `expires: "1d"` and the like are mongoose's spelling; it converts them itself.
    if ("expires" in rest) return null;
    out.push({ key, ...rest } as IndexDescription);
  }
  return out;
}

/** Creates a model's collection (if missing) and its schema's indexes; safe to run again. */
export async function ensureCollection(model: Model<never>): Promise<void> {
  const indexes = plainIndexes(model);
  if (indexes && indexes.length > 0) {
    await model.collection.createIndexes(indexes);
    return;
  }
  await model.createCollection().catch((err: unknown) => {
    if ((err as { code?: number }).code !== NAMESPACE_EXISTS) throw err;
  });
  if (!indexes) await model.createIndexes();
}
