/** Only same-site paths are followed after login, never an absolute or protocol-relative URL. */
export function safeNext(raw: string | string[] | undefined, fallback = "/"): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v || !v.startsWith("/") || v.startsWith("//") || v.startsWith("/\\")) return fallback;
  return v;
}
