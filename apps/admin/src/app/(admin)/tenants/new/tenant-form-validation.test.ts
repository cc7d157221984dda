import { describe, expect, it } from "vitest";
import { validateTenantForm } from "./tenant-form-validation";

const valid = {
  slug: "acme-corp",
  name: "Acme",
  ownerEmail: "o@acme.test",
  ownerName: "Olivia",
  ownerPassword: "Corr3ct-Horse-Battery",
};

describe("validateTenantForm", () => {
  it("accepts a complete form", () => {
    expect(validateTenantForm(valid)).toEqual({});
  });
  it("names every field that is wrong", () => {
    const e = validateTenantForm({
      slug: "-Bad",
      name: " ",
      ownerEmail: "nope",
      ownerName: "",
      ownerPassword: "short",
    });
    expect(Object.keys(e).sort()).toEqual([
      "name",
      "ownerEmail",
      "ownerName",
      "ownerPassword",
      "slug",
    ]);
  });
  it("refuses reserved slugs the api would refuse", () => {
    expect(validateTenantForm({ ...valid, slug: "admin" }).slug).toBeDefined();
  });
});
