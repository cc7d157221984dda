import { describe, expect, it } from "vitest";
import { displaySlug } from "./tenant-slug";

describe("displaySlug", () => {
  it("shows a purged tenant by its old slug, not the tombstone", () => {
    expect(displaySlug("initech~purged~6b0f0a23c1d2e3f4a5b6c7d8")).toBe("initech");
    expect(displaySlug("acme")).toBe("acme");
  });
});
