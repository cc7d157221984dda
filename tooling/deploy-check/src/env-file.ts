// Reads KEY=value files such as .env.example (comments and blank lines skipped).
export function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    vars.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return vars;
}

/** Names used by compose interpolation (`${NAME}`, `${NAME:-x}`, `${NAME:?msg}`, `$NAME`); `$$` is a literal. */
export function interpolatedNames(value: string): string[] {
  const names: string[] = [];
  const pattern = /\$(\$)|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of value.matchAll(pattern)) {
    if (m[1]) continue;
    const name = m[2] ?? m[3];
    if (name) names.push(name);
  }
  return names;
}
