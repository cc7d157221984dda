import { describe, expect, it } from "vitest";

import { isValidEmail, passwordWeakness, slugProblem } from "./index";

describe("password policy", () => {
  it("refuses short, common, repetitive and email-containing passwords with a reason", () => {
    expect(passwordWeakness("short")).toMatch(/at least 12/);
    expect(passwordWeakness("password1234")).toMatch(/three of|common/);
    expect(passwordWeakness("aaaaaaaaaaaaaaaa")).toMatch(/distinct/);
    expect(passwordWeakness("Alice-Secret-2026", "alice@example.com")).toMatch(/email/);
    expect(passwordWeakness("Correct-Horse-42-Battery!")).toBeNull();
    expect(passwordWeakness("correct horse battery staple")).toBeNull();
  });
});

describe("slug policy", () => {
  it("takes short lower-case dashed names that no platform route uses", () => {
    expect(slugProblem("acme-corp")).toBeNull();
    expect(slugProblem("-bad")).toMatch(/3-40/);
    expect(slugProblem("ab")).toMatch(/3-40/);
    expect(slugProblem("admin")).toMatch(/reserved/);
  });
});

describe("email policy", () => {
  it("accepts ordinary addresses only", () => {
    expect(isValidEmail("o@acme.test")).toBe(true);
    expect(isValidEmail("nope")).toBe(false);
    expect(isValidEmail(`${"a".repeat(250)}@x.io`)).toBe(false);
  });
});
