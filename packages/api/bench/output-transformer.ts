// `pnpm --filter @tenantry/api bench:output-transformer`: the hand-written superjson output writer
// (src/output-transformer.ts) against superjson.serialize, on notes pages as notes.list returns
// them, each followed by JSON.stringify as tRPC does. Alternating rounds, median per side, counted
// per CPU second of this process.
// It stays only while this gain holds (docs/toolchain.md, "Hand-written parts kept").
import superjson from "superjson";

import { serializeOutput } from "../src/output-transformer";

const ROUNDS = 7;
const ROUND_MS = 400;

function page(n: number) {
  const items = Array.from({ length: n }, (_, i) => ({
    id: `6750a1b2c3d4e5f6a7b8c9${String(i).padStart(2, "0")}`,
    title: `Note number ${i}`,
    body: "Some body text of a realistic length for a note in a list view.",
    tags: i % 3 ? ["work"] : ["work", "urgent"],
    author: { id: "6750a1b2c3d4e5f6a7b8c9d0", name: "Owner of acme" },
    createdAt: new Date(1_700_000_000_000 + i * 1000),
    updatedAt: new Date(1_700_000_500_000 + i * 1000),
  }));
  return { items, nextCursor: n ? items[n - 1]?.id : null };
}

/** Operations per CPU second of `fn` over one round (CPU time: the machine may be shared). */
function opsPerSecond(fn: () => unknown): number {
  let ops = 0;
  const cpu = process.cpuUsage();
  const end = performance.now() + ROUND_MS;
  while (performance.now() < end) {
    fn();
    ops++;
  }
  const used = process.cpuUsage(cpu);
  return ops / ((used.user + used.system) / 1e6);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

console.log(
  `| page | superjson.serialize ops/CPU-s | serializeOutput ops/CPU-s | speed-up | CPU µs saved per response |`,
);
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const n of [20, 100]) {
  const value = page(n);
  if (JSON.stringify(serializeOutput(value)) !== JSON.stringify(superjson.serialize(value)))
    throw new Error("the writer's output differs from superjson's");
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    theirs.push(opsPerSecond(() => JSON.stringify(superjson.serialize(value))));
    ours.push(opsPerSecond(() => JSON.stringify(serializeOutput(value))));
  }
  const [a, b] = [median(theirs), median(ours)];
  const saved = 1e6 / a - 1e6 / b;
  console.log(
    `| ${n} notes | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)}x | ${saved.toFixed(1)} |`,
  );
}
