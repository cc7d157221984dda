// Building blocks for procedure inputs. Objects are strict (unknown keys refused) and every leaf
// is a primitive, so query operators such as {"$ne": null} never reach a database filter.
import { z } from "zod";

const OBJECT_ID = /^[a-f0-9]{24}$/;
export const ZObjectId = z.string().regex(OBJECT_ID, "must be a 24-character hex id");
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "must be an email address" }));
export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/, "3-40 lower-case letters, digits or dashes");
export const ZPasswordInput = z.string().min(1, "required").max(256);
export const ZRole = z.enum(["owner", "admin", "member"]);
export const ZLimit = z.number().int().min(1).max(100).default(20);
export const ZSearch = z.string().trim().max(100);
/** The `nextCursor` of an earlier page (an id, but the message names what to pass). */
export const ZCursor = z.string().regex(OBJECT_ID, "must be the nextCursor of an earlier page");

/** A literal-text, case-insensitive regex for search boxes (input is escaped, never a pattern). */
export function searchRegex(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
}
