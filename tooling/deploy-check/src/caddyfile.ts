// Just enough of the Caddyfile grammar to see which site proxies to which upstreams.
export interface ProxySite {
  address: string;
  upstreams: string[];
  healthUri?: string;
  /** Paths the site answers itself with a 4xx (`@name path ...` + `respond @name 404`), never proxied. */
  blockedPaths: string[];
}

export function readCaddySites(text: string): ProxySite[] {
  const sites: ProxySite[] = [];
  let depth = 0;
  let current: ProxySite | undefined;
  let matchers = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") continue;
    // Placeholders such as {$WEB_URL} or {http.request.uuid} are not blocks.
    const bare = line.replace(/\{[$A-Za-z_.][^{}\s]*\}/g, "_");
    const opens = (bare.match(/\{/g) ?? []).length;
    const closes = (bare.match(/\}/g) ?? []).length;
    if (depth === 0 && bare.endsWith("{")) {
      const address = line.slice(0, -1).trim();
      // The global options block and (snippets) are not sites.
      current =
        address === "" || address.startsWith("(")
          ? undefined
          : { address, upstreams: [], blockedPaths: [] };
      if (current) sites.push(current);
      matchers = new Map();
    } else if (current && depth >= 1) {
      const proxy = /^reverse_proxy\s+([^{]+?)\s*\{?$/.exec(line);
      if (proxy?.[1]) current.upstreams.push(...proxy[1].split(/\s+/));
      const health = /^health_uri\s+(\S+)/.exec(line);
      if (health?.[1]) current.healthUri = health[1];
      const matcher = /^(@[\w-]+)\s+path\s+(.+)$/.exec(line);
      if (matcher?.[1] && matcher[2]) matchers.set(matcher[1], matcher[2].split(/\s+/));
      const respond = /^respond\s+(@[\w-]+)\s+4\d\d$/.exec(line);
      if (respond?.[1]) current.blockedPaths.push(...(matchers.get(respond[1]) ?? []));
    }
    depth += opens - closes;
  }
  if (depth !== 0) throw new Error(`Caddyfile braces do not balance (depth ${depth} at end)`);
  return sites;
}
