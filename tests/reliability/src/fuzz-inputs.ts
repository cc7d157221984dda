// fast-check arbitraries for hostile procedure inputs: arbitrary JSON, wrong types, MongoDB
// operator objects, huge and strange strings, and objects that use the routers' real field names
// (so they get past "unknown key" checks and reach deeper validation).
import fc from "fast-check";

/** Field names that appear in appRouter / adminRouter inputs. */
const FIELD_NAMES = [
  "email",
  "password",
  "tenantSlug",
  "id",
  "userId",
  "title",
  "body",
  "tags",
  "search",
  "tag",
  "cursor",
  "limit",
  "role",
  "name",
  "slug",
  "owner",
  "reason",
  "confirmSlug",
  "uri",
  "refreshToken",
  "token",
  "currentPassword",
  "newPassword",
  "displayName",
  "preferences",
  "action",
  "tenantId",
  "actor",
  "status",
  "sort",
  "page",
  "jobId",
  "userEmail",
  "cluster",
  "plan",
] as const;

const OPERATOR_OBJECTS: unknown[] = [
  { $ne: null },
  { $gt: "" },
  { $regex: ".*" },
  { $where: "sleep(100) || true" },
  { $in: ["a", null, { $ne: 1 }] },
  { $exists: true },
  { $expr: { $eq: [1, 1] } },
  { $function: { body: "function(){return true}", args: [], lang: "js" } },
  { $set: { status: "active" } },
  { $or: [{ a: 1 }, { b: { $ne: null } }] },
  { __proto__: { admin: true } },
  { constructor: { prototype: { polluted: true } } },
  { "a.b": 1, $c: 2 },
];

const hugeString = fc.constantFrom(
  "a".repeat(10_000),
  "é".repeat(70_000),
  "💥".repeat(50_000),
  "x".repeat(1_200_000), // above the 1 MiB body limit
);

const strangeString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }), // lone surrogates and the like
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\u202e",
    "null",
    "undefined",
    "NaN",
    "-1",
    "1e309",
    "$ne",
    "a@b",
    "@",
    "owner@",
    ".*",
    "\\",
    "'\"",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "ffffffffffffffffffffffff",
    "000000000000000000000000",
    "mongodb://127.0.0.1:1/x",
  ),
  fc.emailAddress(),
  fc.stringMatching(/^[a-f0-9]{24}$/),
);

function nastyValue(known: unknown[]): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    { weight: 4, arbitrary: strangeString },
    { weight: 1, arbitrary: hugeString },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true }),
        fc.constantFrom(0, -1, 2 ** 53, -(2 ** 31), 1e308, 101, 100_001),
      ),
    },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constantFrom(...OPERATOR_OBJECTS) },
    {
      weight: known.length ? 2 : 0,
      arbitrary: known.length ? fc.constantFrom(...known) : fc.constant(null),
    },
  );
  return fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 30 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), leaf, { maxKeys: 4 }) },
  );
}

/** The whole `input` of a call. */
export function procedureInput(known: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), nastyValue(known), {
        minKeys: 1,
        maxKeys: 6,
      }),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: nastyValue(known) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Bodies that are not what a tRPC client sends at all (sent as-is, not superjson-wrapped). */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "{",
    '{"json":',
    '{"json":{"$ne":null}}',
    '{"json":{"id":"x"},"meta":{"values":{"id":["class","Admin"]}}}',
    '{"json":{"id":"x"},"meta":{"values":{"id":[["custom","nope"]]}}}',
    '{"json":{"a":1},"meta":{"values":{"a":["Date"]}}}',
    '{"json":{"__proto__":{"isAdmin":true}}}',
    '{"json":{"title":"t"},"meta":{"referentialEqualities":{"title":["__proto__.x"]}}}',
    '{"0":{"json":{}}}',
    "null",
    "[]",
    "\u0000\u0001",
  ),
);
