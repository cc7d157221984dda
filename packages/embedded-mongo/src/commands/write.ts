import { calculateObjectSize } from "bson";
import { isPlainObject, type Doc } from "../bson-values.js";
import { docArg, stringArg, type CommandContext, type CommandHandler } from "../command-context.js";
import { validateCollectionName } from "../catalog.js";
import { idKeyOf } from "../collection.js";
import { CommandError, ErrorCodes, toCommandError } from "../errors.js";
import {
  applyUpdate,
  buildUpsert,
  validateIdValue,
  validateUpdate,
  withId,
} from "../update-engine.js";
import { shapeResult } from "./read.js";
import { validatedEmpty } from "../data-view.js";
import { resolveHint } from "../query-planner.js";

const MAX_DOC_SIZE = 16 * 1024 * 1024;

function checkSize(ctx: CommandContext, doc: Doc): void {
  // Only a request larger than the limit can carry (or grow) a document over it.
  if (ctx.requestSize < MAX_DOC_SIZE / 2) return;
  const size = calculateObjectSize(doc);
  if (size > MAX_DOC_SIZE)
    throw new CommandError(
      ErrorCodes.BSONObjectTooLarge,
      `object to insert too large. size in bytes: ${size}, max size: ${MAX_DOC_SIZE}`,
    );
}

function statements(ctx: CommandContext, field: string): Doc[] {
  const v = ctx.body[field];
  if (!Array.isArray(v))
    throw new CommandError(
      ErrorCodes.FailedToParse,
      `BSON field '${field}' is missing or not an array`,
    );
  if (v.length > 100_000)
    throw new CommandError(
      ErrorCodes.InvalidLength,
      `Write batch sizes must be between 1 and 100000. Got ${v.length} operations.`,
    );
  for (const s of v)
    if (!isPlainObject(s))
      throw new CommandError(
        ErrorCodes.TypeMismatch,
        `BSON field '${field}' must contain documents`,
      );
  return v as Doc[];
}

/** Runs each statement, collecting writeErrors; an ordered batch stops at the first failure. */
function runBatch(
  ctx: CommandContext,
  items: Doc[],
  run: (item: Doc, index: number) => void,
): Doc[] {
  const ordered = ctx.body.ordered !== false;
  const errors: Doc[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      run(items[i] as Doc, i);
    } catch (err) {
      const e = toCommandError(err);
      // Inside a transaction any failure aborts the whole command (and the transaction).
      if (ctx.view.inTransaction) throw e;
      errors.push(e.toWriteError(i));
      if (ordered) break;
    }
  }
  return errors;
}

function finish(reply: Doc, errors: Doc[]): Doc {
  if (errors.length > 0) reply.writeErrors = errors;
  reply.ok = 1;
  return reply;
}

const insert: CommandHandler = (ctx) => {
  const name = validateCollectionName(ctx.db, stringArg(ctx.body, "insert"));
  const docs = statements(ctx, "documents");
  const coll = ctx.catalog.ensureCollection(ctx.db, name);
  let n = 0;
  const errors = runBatch(ctx, docs, (raw) => {
    const doc = withId(raw);
    validateIdValue(doc);
    checkSize(ctx, doc);
    ctx.view.insert(coll, doc);
    n++;
  });
  return finish({ n }, errors);
};

const update: CommandHandler = (ctx) => {
  const name = validateCollectionName(ctx.db, stringArg(ctx.body, "update"));
  const updates = statements(ctx, "updates");
  let coll = ctx.catalog.collection(ctx.db, name);
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const errors = runBatch(ctx, updates, (stmt, index) => {
    const filter = docArg(stmt, "q");
    const u = validateUpdate(stmt.u);
    const multi = stmt.multi === true;
    const arrayFilters = Array.isArray(stmt.arrayFilters)
      ? (stmt.arrayFilters as Doc[])
      : undefined;
    if (multi && !Array.isArray(u) && !Object.keys(u)[0]?.startsWith("$")) {
      throw new CommandError(
        ErrorCodes.FailedToParse,
        "multi update is not supported for replacement-style update",
      );
    }
    resolveHint(coll, stmt.hint);
    let matched = ctx.view.find(coll, filter, multi ? undefined : stmt.sort ? undefined : 1);
    if (!multi && stmt.sort && isPlainObject(stmt.sort))
      matched = shapeResult(matched, { filter, sort: stmt.sort, limit: 1 });
    if (matched.length === 0) {
      if (stmt.upsert !== true) return;
      const doc = buildUpsert(filter, u, arrayFilters);
      validateIdValue(doc);
      checkSize(ctx, doc);
      coll ??= ctx.catalog.ensureCollection(ctx.db, name);
      ctx.view.insert(coll, doc);
      n++;
      upserted.push({ index, _id: doc._id });
      return;
    }
    for (const doc of matched) {
      const next = applyUpdate(doc, u, { arrayFilters, filter });
      n++;
      if (next === doc) continue;
      checkSize(ctx, next);
      ctx.view.replace(coll as NonNullable<typeof coll>, idKeyOf(doc), next);
      nModified++;
    }
  });
  const reply: Doc = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  return finish(reply, errors);
};

const del: CommandHandler = (ctx) => {
  const name = validateCollectionName(ctx.db, stringArg(ctx.body, "delete"));
  const deletes = statements(ctx, "deletes");
  const coll = ctx.catalog.collection(ctx.db, name);
  let n = 0;
  const errors = runBatch(ctx, deletes, (stmt) => {
    const filter = docArg(stmt, "q");
    const limit = stmt.limit;
    if (limit !== 0 && limit !== 1)
      throw new CommandError(
        ErrorCodes.FailedToParse,
        "The limit field in delete objects must be 0 or 1",
      );
    resolveHint(coll, stmt.hint);
    if (!coll) return void validatedEmpty(filter);
    for (const doc of ctx.view.find(coll, filter, limit === 1 ? 1 : undefined)) {
      ctx.view.remove(coll, idKeyOf(doc));
      n++;
    }
  });
  return finish({ n }, errors);
};

const findAndModify: CommandHandler = (ctx) => {
  const name = validateCollectionName(
    ctx.db,
    stringArg(ctx.body, ctx.body.findAndModify !== undefined ? "findAndModify" : "findandmodify"),
  );
  const b = ctx.body;
  const filter = docArg(b, "query");
  const sort = docArg(b, "sort");
  const fields = docArg(b, "fields");
  const remove = b.remove === true;
  const returnNew = b.new === true;
  const upsert = b.upsert === true;
  const arrayFilters = Array.isArray(b.arrayFilters) ? (b.arrayFilters as Doc[]) : undefined;
  if (remove && (b.update !== undefined || upsert || returnNew)) {
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "Cannot specify both an update and remove=true",
    );
  }
  if (!remove && b.update === undefined)
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "Either an update or remove=true must be specified",
    );
  const u = remove ? undefined : validateUpdate(b.update);
  let coll = ctx.catalog.collection(ctx.db, name);
  resolveHint(coll, b.hint);
  const hasSort = Object.keys(sort).length > 0;
  const candidates = ctx.view.find(coll, filter, hasSort ? undefined : 1);
  const target = hasSort ? shapeResult(candidates, { filter, sort, limit: 1 })[0] : candidates[0];
  const project = (doc: Doc | undefined): Doc | null =>
    doc ? (shapeResult([doc], { filter, projection: fields })[0] ?? null) : null;
  if (!target) {
    if (!upsert || !u)
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = buildUpsert(filter, u, arrayFilters);
    validateIdValue(doc);
    checkSize(ctx, doc);
    coll ??= ctx.catalog.ensureCollection(ctx.db, name);
    ctx.view.insert(coll, doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: returnNew ? project(doc) : null,
      ok: 1,
    };
  }
  const c = coll as NonNullable<typeof coll>;
  if (remove) {
    ctx.view.remove(c, idKeyOf(target));
    return { lastErrorObject: { n: 1 }, value: project(target), ok: 1 };
  }
  const next = applyUpdate(target, u as NonNullable<typeof u>, { arrayFilters, filter });
  if (next !== target) {
    checkSize(ctx, next);
    ctx.view.replace(c, idKeyOf(target), next);
  }
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: project(returnNew ? next : target),
    ok: 1,
  };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};
