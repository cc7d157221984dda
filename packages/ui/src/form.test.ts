import { zodResolver } from "@hookform/resolvers/zod";
import { createFormControl } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { setServerErrors } from "./form";

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address."),
  ownerEmail: z.string(),
});

// The same resolver useZodForm installs, on a form control that needs no React tree.
const control = () =>
  createFormControl({
    resolver: zodResolver(schema),
    defaultValues: { email: "", ownerEmail: "" },
  });

describe("zod-validated forms", () => {
  it("show the schema's message and hand the parsed values to submit", async () => {
    const form = control();
    const sent: unknown[] = [];
    await form.handleSubmit((v) => void sent.push(v))();
    expect(form.getFieldState("email").error?.message).toBe("Enter your email address.");
    expect(sent).toEqual([]);
    form.setValue("email", "  olivia@acme.test ");
    await form.handleSubmit((v) => void sent.push(v))();
    expect(sent).toEqual([{ email: "olivia@acme.test", ownerEmail: "" }]);
  });

  it("put the api's field messages on matching (or renamed) fields and skip the rest", () => {
    const form = control();
    const placed = setServerErrors(
      form,
      { email: "Already a member.", owner: "Owner email is taken.", "tags.0": "Too long." },
      { owner: "ownerEmail" },
    );
    expect(placed).toBe(2);
    expect(form.getFieldState("email").error?.message).toBe("Already a member.");
    expect(form.getFieldState("ownerEmail").error?.message).toBe("Owner email is taken.");
  });
});
