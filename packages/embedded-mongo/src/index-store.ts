import { Query } from "mingo/query";
import { valueKey, valuesAtPath, type Doc } from "./bson-values.js";
import { SortedKeyList } from "./sorted-key-list.js";
import { mingoOptions } from "./mingo-options.js";

export interface IndexSpec {
  /** The document listIndexes echoes back (v, key, name and the options as given). */
  raw: Doc;
  name: string;
  fields: { path: string[]; name: string; direction: unknown }[];
  unique: boolean;
  sparse: boolean;
  partialFilter?: Doc;
  expireAfterSeconds?: number;
}

/** One secondary index: hash maps for equality and uniqueness, a sorted list for ranges. */
export class IndexStore {
  /** Full compound key -> ids. */
  private readonly byKey = new Map<string, Set<string>>();
  /** First field's value key -> ids (the same map as byKey for single-field indexes). */
  private readonly byFirst: Map<string, Set<string>>;
  /** First field's values in order, for range scans and sorts. */
  readonly sorted = new SortedKeyList();
  private readonly partial?: Query;
  readonly firstPath: string;
  /** Whether any indexed document holds an array at the first field. */
  multikey = false;

  constructor(readonly spec: IndexSpec) {
    this.byFirst = spec.fields.length === 1 ? this.byKey : new Map();
    this.firstPath = (spec.fields[0] as { name: string }).name;
    if (spec.partialFilter) this.partial = new Query(spec.partialFilter, mingoOptions);
  }

  /** The index entries of a document: for each, the compound key string and the first value. */
  entriesOf(doc: Doc): { key: string; first: unknown; values: unknown[] }[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.spec.fields.map((f) => valuesAtPath(doc, f.path));
    if (this.spec.sparse && perField.every((vals) => vals.length === 1 && vals[0] === undefined))
      return [];
    let combos: unknown[][] = [[]];
    for (const vals of perField) {
      const next: unknown[][] = [];
      for (const c of combos) for (const v of vals) next.push([...c, v]);
      combos = next;
    }
    const seen = new Set<string>();
    const out: { key: string; first: unknown; values: unknown[] }[] = [];
    for (const values of combos) {
      const key = values.length === 1 ? valueKey(values[0]) : values.map(valueKey).join("\u0000");
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key, first: values[0], values });
    }
    return out;
  }

  /** Ids other than `selfId` already holding the key. */
  conflict(key: string, selfId: string): boolean {
    const ids = this.byKey.get(key);
    if (!ids) return false;
    for (const id of ids) if (id !== selfId) return true;
    return false;
  }

  /** Like conflict(), also ignoring ids a transaction has deleted or rewritten. */
  conflictExcept(key: string, selfId: string, ignore: Set<string>): boolean {
    const ids = this.byKey.get(key);
    if (!ids) return false;
    for (const id of ids) if (id !== selfId && !ignore.has(id)) return true;
    return false;
  }

  add(doc: Doc, id: string, entries = this.entriesOf(doc)): void {
    if (entries.length > 1) this.multikey = true;
    const firsts = new Set<string>();
    for (const e of entries) {
      addTo(this.byKey, e.key, id);
      const fk = valueKey(e.first);
      if (firsts.has(fk)) continue;
      firsts.add(fk);
      if (this.byFirst !== this.byKey) addTo(this.byFirst, fk, id);
      this.sorted.insert(e.first, id);
    }
  }

  remove(doc: Doc, id: string, entries = this.entriesOf(doc)): void {
    const firsts = new Set<string>();
    for (const e of entries) {
      removeFrom(this.byKey, e.key, id);
      const fk = valueKey(e.first);
      if (firsts.has(fk)) continue;
      firsts.add(fk);
      if (this.byFirst !== this.byKey) removeFrom(this.byFirst, fk, id);
      this.sorted.remove(e.first, id);
    }
  }

  /** Ids whose first indexed field equals the value. */
  lookupFirst(value: unknown): Iterable<string> {
    return this.byFirst.get(valueKey(value)) ?? [];
  }

  /**
   * Whether the planner may answer from this index alone: it holds every document (sparse and
   * partial ones do not) and is not hidden (collMod).
   */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial && this.spec.raw.hidden !== true;
  }

  /** Number of keys, for validate. */
  get keyCount(): number {
    let n = 0;
    for (const ids of this.byKey.values()) n += ids.size;
    return n;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}
