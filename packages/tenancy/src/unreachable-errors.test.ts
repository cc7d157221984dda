// Which driver errors read as "the database cannot be reached" (503, retry) rather than a bad
// query: the real driver classes, as the driver builds them from a server's reply.
import { MongoServerError } from "mongodb";
import { describe, expect, it } from "vitest";

import { isUnreachableError } from "./errors";

describe("isUnreachableError", () => {
  it("counts a transaction the driver gave up on as unreachable, and a bad write as not", () => {
    const transient = new MongoServerError({
      message: "Transaction 3 has been aborted",
      code: 251,
      errorLabels: ["TransientTransactionError"],
    });
    const unknownCommit = new MongoServerError({
      message: "operation was interrupted",
      code: 11602,
      errorLabels: ["UnknownTransactionCommitResult"],
    });
    const duplicate = new MongoServerError({ message: "E11000 duplicate key", code: 11000 });
    expect(isUnreachableError(transient)).toBe(true);
    expect(isUnreachableError(unknownCommit)).toBe(true);
    expect(isUnreachableError(duplicate)).toBe(false);
    expect(isUnreachableError(new Error("wrapped", { cause: transient }))).toBe(true);
  });
});
