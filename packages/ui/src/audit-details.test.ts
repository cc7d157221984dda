import { describe, expect, it } from "vitest";
import { auditDetails } from "./audit-details";

describe("auditDetails", () => {
  it("reads as a line of key: value pairs, never JSON", () => {
    expect(
      auditDetails({
        title: "Plan",
        fields: ["title", "body"],
        empty: null,
        access: { write: false },
      }),
    ).toBe("title: Plan · fields: title, body · access: (write: false)");
    expect(auditDetails(null)).toBe("");
  });
});
