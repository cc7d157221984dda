// Building blocks for procedure inputs. Objects are strict (unknown keys refused) and every leaf
// is a primitive, so query operators such as {"$ne": null} never reach a database filter.
import {
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  isValidEmail,
  slugProblem,
} from "@tenantry/tenancy/policies";
import { z } from "zod";

const OBJECT_ID = /^[a-f0-9]{24}$/;
export const ZObjectId = z.string().regex(OBJECT_ID, "must be a 24-character hex id");
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX_LENGTH)
  .refine(isValidEmail, "must be an email address");
export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((slug, ctx) => {
    const problem = slugProblem(slug);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
export const ZPasswordInput = z.string().min(1, "required").max(PASSWORD_MAX_LENGTH);
export const ZRole = z.enum(["owner", "admin", "member"]);
export const ZLimit = z.number().int().min(1).max(100).default(20);
export const ZSearch = z.string().trim().max(100);
/** The `nextCursor` of an earlier page (an id, but the message names what to pass). */
export const ZCursor = z.string().regex(OBJECT_ID, "must be the nextCursor of an earlier page");

/** A literal-text, case-insensitive regex for search boxes (tenancy's rule, named for routers). */
export { literalRegex as searchRegex } from "@tenantry/tenancy";
