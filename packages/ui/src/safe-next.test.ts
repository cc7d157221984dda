import { describe, expect, it } from "vitest";

import { hasRefusedNext, safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps same-origin paths with their query and hash", () => {
    expect(safeNext("/notes?tag=a#n1")).toBe("/notes?tag=a#n1");
    expect(safeNext(["/members", "/x"])).toBe("/members");
    expect(safeNext("/a/../members")).toBe("/members");
    // Percent-encoded slashes stay in the path; a browser does not decode them into an authority.
    expect(safeNext("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it("refuses absolute, protocol-relative, control-character and backslash forms", () => {
    for (const bad of [
      "//evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "/\\evil.example",
      "\\/evil.example",
      "/\t/evil.example/",
      "/\n/evil.example/",
      "/\r//evil.example",
      "/\u0000/evil.example",
      "/\u007f/evil.example",
      " /notes",
      "notes",
      "",
    ]) {
      expect(safeNext(bad), JSON.stringify(bad)).toBe("/");
    }
    expect(safeNext(undefined)).toBe("/");
    expect(safeNext(null)).toBe("/");
  });

  it("returns the caller's fallback, null included, for a refused value", () => {
    expect(safeNext("//evil.example", "/login")).toBe("/login");
    expect(safeNext("/\t/evil.example/", null)).toBeNull();
    expect(safeNext("/ok", null)).toBe("/ok");
  });

  it("hasRefusedNext tells a URL with a refused next= from one with none or a safe one", () => {
    expect(hasRefusedNext(new URL("http://a.test/login?next=%2F%09%2Fevil.example%2F"))).toBe(true);
    expect(hasRefusedNext(new URL("http://a.test/login?next="))).toBe(true);
    expect(hasRefusedNext(new URL("http://a.test/login?next=%2Fnotes"))).toBe(false);
    expect(hasRefusedNext(new URL("http://a.test/login?tenant=acme"))).toBe(false);
  });
});
