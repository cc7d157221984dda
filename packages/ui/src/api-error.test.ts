import { describe, expect, it } from "vitest";
import { describeApiError } from "./api-error";

describe("describeApiError", () => {
  it("reads reason, code and field errors from a tRPC client error", () => {
    const err = {
      message: '[{"code":"too_small","path":["title"]}]',
      data: {
        code: "BAD_REQUEST",
        reason: "INVALID_INPUT",
        zodError: { formErrors: [], fieldErrors: { title: ["Too short"], tags: [] } },
      },
    };
    const info = describeApiError(err);
    expect(info.code).toBe("BAD_REQUEST");
    expect(info.reason).toBe("INVALID_INPUT");
    expect(info.fieldErrors).toEqual({ title: "Too short" });
    // Never show users a JSON dump.
    expect(info.message).toBe("Please fix the highlighted fields.");
  });

  it("hides internal errors and network failures behind plain sentences", () => {
    expect(
      describeApiError({ message: "boom at x.ts:12", data: { code: "INTERNAL_SERVER_ERROR" } })
        .message,
    ).toBe("Something went wrong on our side. Please try again.");
    expect(describeApiError(new TypeError("Failed to fetch")).message).toMatch(
      /Cannot reach the server/,
    );
  });

  it("keeps the api's own message for ordinary refusals", () => {
    const info = describeApiError({
      message: "This organisation is suspended",
      data: { code: "FORBIDDEN", reason: "TENANT_SUSPENDED", suspendedReason: "Unpaid" },
    });
    expect(info.message).toBe("This organisation is suspended");
    expect(info.data.suspendedReason).toBe("Unpaid");
  });

  it("tells a tenant user the organisation's state in the app's words", () => {
    const deleted = {
      message: "Tenant has been deleted",
      data: { code: "FORBIDDEN", reason: "TENANT_DELETED" },
    };
    expect(describeApiError(deleted).message).toBe("Tenant has been deleted");
    expect(describeApiError(deleted, { tenantFacing: true }).message).toBe(
      "This organisation has been deleted. Contact its owner or the platform support team.",
    );
  });
});
