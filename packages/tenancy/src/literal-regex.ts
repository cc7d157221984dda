// Search boxes match text, never a pattern: one escaping rule for every listing (tenants, members,
// the audit log's organisation filter).

/** A literal-text, case-insensitive regex (the text is escaped, never a pattern). */
export function literalRegex(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
}
