/** An audit entry's details as one readable line ("title: Plan · fields: title, body"), not JSON. */
export function auditDetails(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  return Object.entries(details as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${readable(v)}`)
    .join(" · ");
}

function readable(v: unknown): string {
  if (v instanceof Date) return v.toLocaleString("en-GB");
  if (Array.isArray(v)) return v.map(readable).join(", ");
  if (v && typeof v === "object") return `(${auditDetails(v)})`;
  return String(v);
}
