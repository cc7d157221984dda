import { isPlainObject, type Doc } from "./bson-values.js";
import { CommandError, ErrorCodes } from "./errors.js";
import type { IndexSpec } from "./index-store.js";

export const INDEX_OPTIONS = [
  "unique",
  "sparse",
  "partialFilterExpression",
  "expireAfterSeconds",
  "collation",
  "hidden",
] as const;

/** Parses and validates one createIndexes entry. */
export function parseIndexSpec(raw: Doc): IndexSpec {
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0)
    throw new CommandError(ErrorCodes.CannotCreateIndex, "Index keys cannot be empty.");
  const fields = Object.entries(key).map(([name, direction]) => {
    const ok =
      typeof direction === "number"
        ? direction !== 0 && Number.isFinite(direction)
        : typeof direction === "string" && ["text", "2d", "2dsphere", "hashed"].includes(direction);
    if (!ok || name === "")
      throw new CommandError(
        ErrorCodes.CannotCreateIndex,
        `Values in the index key pattern can only be numbers or strings (got ${JSON.stringify(direction)} for '${name}')`,
      );
    return { name, path: name.split("."), direction };
  });
  const name = raw.name;
  if (typeof name !== "string" || name.length === 0)
    throw new CommandError(
      ErrorCodes.CannotCreateIndex,
      "The index name must be a non-empty string",
    );
  if (raw.partialFilterExpression !== undefined && !isPlainObject(raw.partialFilterExpression)) {
    throw new CommandError(
      ErrorCodes.CannotCreateIndex,
      "partialFilterExpression must be an object",
    );
  }
  if (
    raw.expireAfterSeconds !== undefined &&
    (typeof raw.expireAfterSeconds !== "number" || raw.expireAfterSeconds < 0)
  ) {
    throw new CommandError(
      ErrorCodes.CannotCreateIndex,
      "TTL index 'expireAfterSeconds' option must be a non-negative number",
    );
  }
  const echoed: Doc = { v: 2, key, name };
  for (const [k, v] of Object.entries(raw))
    if (!["key", "name", "v", "ns", "background"].includes(k)) echoed[k] = v;
  return {
    raw: echoed,
    name,
    fields,
    unique: raw.unique === true,
    sparse: raw.sparse === true,
    partialFilter: raw.partialFilterExpression,
    expireAfterSeconds: raw.expireAfterSeconds,
  };
}
