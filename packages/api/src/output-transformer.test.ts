// The fast output serializer must write byte-for-byte what superjson.serialize writes, or clients
// (which deserialize with superjson) would see different values.
import fc from "fast-check";
import { Types } from "mongoose";
import superjson from "superjson";
import { afterEach, describe, expect, it, vi } from "vitest";

import { serializeOutput } from "./output-transformer";

afterEach(() => vi.restoreAllMocks());

/** Mine vs superjson: same JSON text (so same key order), or both throw. */
function expectSameAsSuperjson(value: unknown) {
  let expected: string;
  try {
    expected = JSON.stringify(superjson.serialize(value));
  } catch (err) {
    expect(() => serializeOutput(value)).toThrow((err as Error).message);
    return;
  }
  expect(JSON.stringify(serializeOutput(value))).toBe(expected);
}

/** Runs serializeOutput and says whether it had to call superjson.serialize. */
function usedFallback(value: unknown): boolean {
  const spy = vi.spyOn(superjson, "serialize");
  serializeOutput(value);
  const used = spy.mock.calls.length > 0;
  spy.mockRestore();
  return used;
}

const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("a.b", "a\\b", "", "x\\.y", ".", "0", "items"),
);
const plainLeaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
);
const { plain } = fc.letrec((tie) => ({
  plain: fc.oneof({ depthSize: "small" }, plainLeaf, tie("arr"), tie("obj")),
  arr: fc.array(tie("plain"), { maxLength: 5 }),
  obj: fc.dictionary(key, tie("plain"), { maxKeys: 5 }),
}));

// Response-shaped values: objects nest freely, arrays hold rows (objects) or plain scalars.
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const fieldName = key.filter((k) => !/^\d+$/.test(k)); // field names, not array-index-like keys
const { row } = fc.letrec((tie) => ({
  row: fc.dictionary(fieldName, tie("field"), { maxKeys: 5 }),
  field: fc.oneof(
    { depthSize: "small" },
    plainLeaf,
    tie("row"),
    fc.array(tie("row"), { maxLength: 4 }),
    fc.array(scalar, { maxLength: 4 }),
  ),
}));

const anyLeaf = fc.oneof(
  plainLeaf,
  fc.double(), // NaN, ±Infinity, -0
  fc.bigInt(),
  fc.constant(new Date(Number.NaN)),
  fc.constant(/a+b/gi),
  fc.constant(new Map<unknown, unknown>([["k", new Date(0)]])),
  fc.constant(new Set([1, "two"])),
  fc.constant(new Types.ObjectId("65a1b2c3d4e5f60718293a4b")),
  fc.constant(new URL("https://example.test/x")),
);
const { anything } = fc.letrec((tie) => ({
  anything: fc.oneof({ depthSize: "small" }, anyLeaf, tie("arr"), tie("obj")),
  arr: fc.array(tie("anything"), { maxLength: 5 }),
  obj: fc.dictionary(key, tie("anything"), { maxKeys: 5 }),
}));

describe("serializeOutput", () => {
  it("writes superjson's exact output for random plain values, without calling superjson", () => {
    fc.assert(
      fc.property(plain, (value) => {
        expectSameAsSuperjson(value);
        expect(usedFallback(value)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("serializes response-shaped values (rows, nested objects, Dates, undefined) without calling superjson", () => {
    fc.assert(
      fc.property(row, (value) => {
        expectSameAsSuperjson(value);
        expect(usedFallback(value)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("writes superjson's exact output for random values mixing in types only superjson handles", () => {
    fc.assert(
      fc.property(anything, (value) => expectSameAsSuperjson(value)),
      { numRuns: 500 },
    );
  });

  it("falls back to superjson for each special case, and the client reads the same values back", () => {
    const shared = { id: 1 };
    const sharedDate = new Date(5);
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const cases: unknown[] = [
      new Map([["a", 1]]),
      new Set([1]),
      10n,
      /x/,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      { n: -0 },
      new Types.ObjectId(),
      { at: new Date(Number.NaN) },
      { a: shared, b: shared },
      { a: sharedDate, b: [sharedDate] },
      circular,
      sparse,
      { items: [{ tags: new Set(["x"]) }] },
      class Note {},
    ];
    for (const value of cases) {
      expectSameAsSuperjson(value);
      expect(usedFallback(value)).toBe(true);
    }
    const pollution = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expectSameAsSuperjson(pollution);
  });

  it("keeps a page of notes as superjson would: Dates annotated by path, plain rows untouched", () => {
    const page = {
      items: [
        {
          id: "a",
          title: "One",
          tags: ["x"],
          author: { id: "u", name: "U" },
          createdAt: new Date(1),
          updatedAt: new Date(2),
        },
        {
          id: "b",
          title: "Two",
          tags: [],
          author: { id: "u", name: "U" },
          createdAt: new Date(3),
          updatedAt: new Date(4),
        },
      ],
      nextCursor: null,
      missing: undefined,
    };
    const out = serializeOutput(page);
    expect(out).toEqual(superjson.serialize(page));
    expect(out.meta?.values).toEqual({
      "items.0.createdAt": ["Date"],
      "items.0.updatedAt": ["Date"],
      "items.1.createdAt": ["Date"],
      "items.1.updatedAt": ["Date"],
      missing: ["undefined"],
    });
    expect(superjson.deserialize(JSON.parse(JSON.stringify(out)) as typeof out)).toEqual(page);
    const bare = { ok: true, list: [1, 2] };
    expect(serializeOutput(bare)).toEqual({ json: bare });
    expect(serializeOutput(new Date(7))).toEqual(superjson.serialize(new Date(7)));
    expect(serializeOutput(undefined)).toEqual(superjson.serialize(undefined));
  });
});
