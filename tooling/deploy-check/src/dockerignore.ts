// .dockerignore semantics: patterns relative to the context root, `**` spans folders, the last
// matching line wins and `!` re-includes. A path is also excluded when a parent folder is.
export function isIgnored(file: string, dockerignore: string): boolean {
  const rules = dockerignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => ({
      negate: l.startsWith("!"),
      re: globToRegExp(l.replace(/^!/, "").replace(/^\/+|\/+$/g, "")),
    }));
  const parts = file.replace(/^\.\//, "").split("/").filter(Boolean);
  for (let n = 1; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join("/");
    let ignored = false;
    for (const rule of rules) if (rule.re.test(prefix)) ignored = !rule.negate;
    if (ignored) return true;
  }
  return false;
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
