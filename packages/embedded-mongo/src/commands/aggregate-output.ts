import { Aggregator } from "mingo/aggregator";
import { isPlainObject, valueAtPath, valueKey, type Doc } from "../bson-values.js";
import type { CommandContext } from "../command-context.js";
import { validateCollectionName, validateDbName } from "../catalog.js";
import { idKeyOf } from "../collection.js";
import { CommandError, ErrorCodes } from "../errors.js";
import { mingoOptionsWith } from "../mingo-options.js";
import { withId } from "../update-engine.js";

// The pipeline stages that write their result to a collection: $out (replace it) and $merge
// (fold the result into it). Both must be the last stage and answer with an empty cursor.

export type WriteStage = { kind: "$out" | "$merge"; spec: unknown };

/** The final $out / $merge stage, if any; refused anywhere but last, as in MongoDB. */
export function writeStageOf(stages: Doc[]): WriteStage | undefined {
  stages.forEach((stage, i) => {
    for (const kind of ["$out", "$merge"] as const)
      if (kind in stage && i !== stages.length - 1)
        throw new CommandError(
          ErrorCodes.Location40601,
          `${kind} can only be the final stage in the pipeline`,
        );
  });
  const last = stages[stages.length - 1];
  if (!last) return undefined;
  if ("$out" in last) return { kind: "$out", spec: last.$out };
  if ("$merge" in last) return { kind: "$merge", spec: last.$merge };
  return undefined;
}

/** `coll`, `{coll, db}` or `{db, coll}` as both stages name their target. */
function target(ctx: CommandContext, spec: unknown, stage: string): { db: string; coll: string } {
  if (typeof spec === "string") return { db: ctx.db, coll: validateCollectionName(ctx.db, spec) };
  if (isPlainObject(spec) && typeof spec.coll === "string") {
    const db = spec.db === undefined ? ctx.db : validateDbName(spec.db);
    return { db, coll: validateCollectionName(db, spec.coll) };
  }
  throw new CommandError(ErrorCodes.BadValue, `${stage} requires a target collection name`);
}

export function writeStageOutput(ctx: CommandContext, stage: WriteStage, result: Doc[]): void {
  if (stage.kind === "$out") {
    const { db, coll: name } = target(ctx, stage.spec, "$out");
    const existing = ctx.catalog.collection(db, name);
    const indexes = existing ? [...existing.indexes.values()].map((i) => i.spec) : [];
    ctx.catalog.dropCollection(db, name);
    // $out keeps the target's indexes, as MongoDB does.
    const coll = ctx.catalog.ensureCollection(db, name);
    for (const spec of indexes) ctx.catalog.addIndex(coll, spec);
    for (const doc of result) ctx.view.insert(coll, withId(doc));
    return;
  }
  merge(ctx, stage.spec, result);
}

const WHEN_MATCHED = new Set(["replace", "keepExisting", "merge", "fail"]);
const WHEN_NOT_MATCHED = new Set(["insert", "discard", "fail"]);

function merge(ctx: CommandContext, raw: unknown, result: Doc[]): void {
  const spec: Doc = typeof raw === "string" ? { into: raw } : isPlainObject(raw) ? raw : {};
  if (spec.into === undefined)
    throw new CommandError(ErrorCodes.FailedToParse, "$merge requires an 'into' field");
  const { db, coll: name } = target(ctx, spec.into, "$merge");
  const on = spec.on === undefined ? ["_id"] : Array.isArray(spec.on) ? spec.on : [spec.on];
  if (!on.every((f): f is string => typeof f === "string"))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      "$merge 'on' must be a field name or an array of them",
    );
  const whenMatched = spec.whenMatched ?? "merge";
  const whenNotMatched = spec.whenNotMatched ?? "insert";
  const invalid = (field: string, v: unknown): CommandError =>
    new CommandError(
      ErrorCodes.BadValue,
      `Enumeration value ${JSON.stringify(v)} for field '${field}' is not a valid value`,
    );
  if (
    !Array.isArray(whenMatched) &&
    !(typeof whenMatched === "string" && WHEN_MATCHED.has(whenMatched))
  )
    throw invalid("whenMatched", whenMatched);
  if (!(typeof whenNotMatched === "string" && WHEN_NOT_MATCHED.has(whenNotMatched)))
    throw invalid("whenNotMatched", whenNotMatched);
  let coll = ctx.catalog.collection(db, name);
  const byId = on.length === 1 && on[0] === "_id";
  // Other join fields need a unique index, so that each result matches at most one document.
  if (!byId) {
    const covered = [...(coll?.indexes.values() ?? [])].some((i) => {
      const keys = Object.keys(i.spec.raw.key as Doc);
      return i.spec.unique && keys.length === on.length && on.every((f) => keys.includes(f));
    });
    if (!covered)
      throw new CommandError(
        ErrorCodes.Location51183,
        "Cannot find index to verify that join fields will be unique",
      );
  }
  coll ??= ctx.catalog.ensureCollection(db, name);
  for (const raw of result) {
    const doc = byId ? withId(raw) : raw;
    const filter: Doc = {};
    for (const f of on) {
      const v = valueAtPath(doc, f);
      if (v === undefined || v === null || Array.isArray(v))
        throw new CommandError(
          ErrorCodes.Location51132,
          `$merge write error: 'on' field '${f}' cannot be missing, null, undefined or an array`,
        );
      filter[f] = v;
    }
    const existing = ctx.view.find(coll, filter, 1)[0];
    if (!existing) {
      if (whenNotMatched === "discard") continue;
      if (whenNotMatched === "fail")
        throw new CommandError(
          ErrorCodes.Location13113,
          "$merge could not find a matching document in the target collection for at least one document in the source collection",
        );
      ctx.view.insert(coll, withId(doc));
      continue;
    }
    if (whenMatched === "keepExisting") continue;
    if (whenMatched === "fail") throw coll.duplicateKeyError("_id_", [existing._id]);
    let next: Doc;
    if (Array.isArray(whenMatched)) {
      const vars = { new: doc, ...(isPlainObject(spec.let) ? spec.let : {}) };
      next = new Aggregator(whenMatched as Doc[], mingoOptionsWith({ variables: vars })).run([
        existing,
      ])[0] as Doc;
    } else if (whenMatched === "replace") next = { ...doc };
    else next = { ...existing, ...doc };
    if (next._id !== undefined && valueKey(next._id) !== valueKey(existing._id))
      throw new CommandError(
        ErrorCodes.ImmutableField,
        "$merge failed to update the matching document, did you attempt to modify the _id or the shard key?",
      );
    ctx.view.replace(coll, idKeyOf(existing), withId({ ...next, _id: existing._id }));
  }
}
