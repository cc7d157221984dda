// `pnpm --filter @tenantry/tenancy bench`: what a tenant handle costs to open on an LRU miss, with
// the models a touch uses (User, Session), compiled per connection (conn.model, as before
// model-sharing.ts) against subclassed from one shared model (modelOn). No database: compiling is
// CPU only. Alternating rounds, median µs per handle, CPU time of this process.
import mongoose from "mongoose";
import type { Connection, Schema } from "mongoose";

import { forgetModels, modelOn } from "../src/model-sharing";
import { tenantSchemas } from "../src/tenant-models";

const ROUNDS = 7;
const HANDLES = 500;
const MODELS: [string, Schema][] = [
  ["User", tenantSchemas.User as Schema],
  ["Session", tenantSchemas.Session as Schema],
];

const base = mongoose.createConnection();
type WithRemove = Connection & { removeDb(name: string): void };
let seq = 0;

/** CPU µs per handle: useDb, the models, then the drop an eviction does. */
function round(open: (conn: Connection) => void): number {
  const cpu = process.cpuUsage();
  for (let i = 0; i < HANDLES; i++) {
    const name = `bench-${seq++}`;
    const conn = base.useDb(name, { useCache: true });
    open(conn);
    forgetModels(conn);
    (base as WithRemove).removeDb(name);
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / HANDLES;
}

const compiled = (conn: Connection) => {
  for (const [name, schema] of MODELS) conn.model(name, schema);
};
const shared = (conn: Connection) => {
  for (const [name, schema] of MODELS) modelOn(conn, name, schema);
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
round(compiled);
round(shared);
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  a.push(round(compiled));
  b.push(round(shared));
}
console.log(
  `handle open with ${MODELS.map(([n]) => n).join(" + ")}, ${ROUNDS} rounds of ${HANDLES}:`,
);
console.log(`  compiled per connection: ${median(a).toFixed(0)} µs CPU per handle (median)`);
console.log(`  shared model, subclassed: ${median(b).toFixed(0)} µs CPU per handle (median)`);
console.log(`  ratio: ${(median(a) / median(b)).toFixed(1)}×`);
