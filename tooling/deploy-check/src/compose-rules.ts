import { parseDocument } from "yaml";
import { readCaddySites } from "./caddyfile";
import type { ImageSpec } from "./dockerfile-rules";
import { checkDockerfile } from "./dockerfile-rules";
import { interpolatedNames, parseEnvFile } from "./env-file";
import type { RepoView } from "./repo-view";

export const COMPOSE_FILE = "docker-compose.prod.yml";

// Env fragments: variables validated once and composed by several processes' env modules.
const DATABASE_ENV = "packages/tenancy/src/env-fragments.ts";
const API_ENV = "packages/api/src/env-fragments.ts";
const NEXT_APP_ENV = "packages/next-kit/src/env.ts";
const FIRST_ADMIN_ENV = "packages/api/src/first-admin-env.ts";

/**
 * The images the stack builds, which workspace package each runs, its env modules and the
 * fragments they compose (read first, so a module's own declaration of a variable wins).
 */
export const IMAGES: Record<string, ImageSpec & { envModules: string[]; envFragments: string[] }> =
  {
    api: {
      dockerfile: "deploy/api.Dockerfile",
      pkg: "@tenantry/api",
      // The server's configuration, and the OTEL_* variables that decide whether tracing starts.
      envModules: ["packages/api/src/server/env.ts", "packages/api/src/observation/env.ts"],
      envFragments: [DATABASE_ENV, API_ENV],
    },
    web: {
      dockerfile: "deploy/web.Dockerfile",
      pkg: "@tenantry/web",
      envModules: ["apps/web/src/env.ts"],
      envFragments: [DATABASE_ENV, API_ENV, NEXT_APP_ENV],
    },
    admin: {
      dockerfile: "deploy/admin.Dockerfile",
      pkg: "@tenantry/admin",
      envModules: ["apps/admin/src/env.ts"],
      envFragments: [DATABASE_ENV, API_ENV, NEXT_APP_ENV, FIRST_ADMIN_ENV],
    },
  };

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  expose?: (string | number)[];
  ports?: (string | number)[];
  volumes?: (string | { source?: string; target?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: unknown;
  restart?: string;
  hostname?: string;
}

interface Compose {
  services?: Record<string, Service>;
  secrets?: Record<string, { file?: string; external?: boolean }>;
}

const SECRET_NAME = /SECRET|PASSWORD|KEY|TOKEN|CREDENTIAL/i;

function builtFrom(svc: Service | undefined): string | undefined {
  const build = svc?.build;
  if (build === undefined) return undefined;
  const context = (typeof build === "string" ? build : (build.context ?? ".")).replace(
    /^\.\/?/,
    "",
  );
  const dockerfile = typeof build === "string" ? "Dockerfile" : (build.dockerfile ?? "Dockerfile");
  return `${context}${context ? "/" : ""}${dockerfile}`;
}

/**
 * Variables a zod env module declares (`NAME: z...` keys of its schema), and whether each is
 * required: neither `.default(` nor `.optional()` anywhere in its definition. The schema comes
 * first in the module; a later `NAME: process.env.NAME` (a raw read for a helper) is not one.
 */
export function readEnvModule(text: string): Map<string, boolean> {
  const vars = new Map<string, boolean>();
  const keys = [...text.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s/gm)];
  keys.forEach((m, i) => {
    const definition = text.slice(m.index, keys[i + 1]?.index ?? text.length);
    if (m[1] && !vars.has(m[1])) vars.set(m[1], !/\.default\(|\.optional\(\)/.test(definition));
  });
  return vars;
}

export function checkCompose(repo: RepoView): string[] {
  const problems: string[] = [];
  const text = repo.read(COMPOSE_FILE);
  if (text === undefined) return [`${COMPOSE_FILE} does not exist`];
  // Compose reads YAML 1.1 merge keys (<<: *anchor); so must we.
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length > 0) return doc.errors.map((e) => `${COMPOSE_FILE}: ${e.message}`);
  const compose = doc.toJS() as Compose;
  const services = compose.services ?? {};
  const names = Object.keys(services);
  if (names.length === 0) return [`${COMPOSE_FILE}: no services`];
  const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(" ") : (v ?? ""));
  const env = (s: Service): Record<string, string> => {
    if (Array.isArray(s.environment)) {
      return Object.fromEntries(
        s.environment.map((e) => [e.split("=")[0] ?? e, e.split("=").slice(1).join("=")]),
      );
    }
    return Object.fromEntries(
      Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? "" : String(v)]),
    );
  };

  // --- MongoDB: three members of one replica set, each with its own volume.
  const members = names.filter(
    (n) =>
      services[n]?.image?.startsWith("mongo:") && str(services[n]?.command).includes("--replSet"),
  );
  if (members.length !== 3)
    problems.push(
      `expected 3 MongoDB replica-set members, found ${members.length} (${members.join(", ")})`,
    );
  const replSets = new Set(
    members.map((n) => /--replSet\s+(\S+)/.exec(str(services[n]?.command))?.[1]),
  );
  if (replSets.size !== 1)
    problems.push(
      `the MongoDB members must share one --replSet name, found ${[...replSets].join(", ")}`,
    );
  const replSet = [...replSets][0] ?? "";
  for (const n of members) {
    const image = services[n]?.image ?? "";
    if (!/^mongo:7(\.|$)/.test(image))
      problems.push(`${n}: expected a mongo:7 image, found ${image}`);
    const dataVolume = (services[n]?.volumes ?? []).some((v) =>
      typeof v === "string" ? v.includes(":/data/db") : v.target === "/data/db",
    );
    if (!dataVolume)
      problems.push(`${n}: /data/db is not on a volume (data would die with the container)`);
  }
  const memberHosts = new Set(members.map((n) => `${services[n]?.hostname ?? n}:27017`));

  // --- The one-shot init service runs a committed script that initiates exactly those members.
  const init = names.find((n) => services[n]?.image?.startsWith("mongo:") && !members.includes(n));
  if (!init) problems.push("no init service (a mongo image that runs rs.initiate) found");
  else {
    const svc = services[init] ?? {};
    const mounted = (svc.volumes ?? [])
      .map((v) => (typeof v === "string" ? (v.split(":")[0] ?? "") : (v.source ?? "")))
      .filter((s) => s.startsWith("./"));
    const script = mounted
      .map((m) => repo.read(m.slice(2)))
      .find((t) => t?.includes("rs.initiate"));
    if (!script)
      problems.push(
        `${init}: mounts no committed script that calls rs.initiate (${mounted.join(", ") || "no mounts"})`,
      );
    else {
      const hosts = new Set([...script.matchAll(/["']([\w-]+:\d+)["']/g)].map((m) => m[1]));
      const same = hosts.size === memberHosts.size && [...memberHosts].every((h) => hosts.has(h));
      if (!same)
        problems.push(
          `${init}: the script initiates ${[...hosts].join(", ")}, the compose members are ${[...memberHosts].join(", ")}`,
        );
      if (!script.includes(`_id: "${replSet}"`))
        problems.push(`${init}: the script does not initiate replica set ${replSet}`);
    }
    if (svc.restart !== "no") problems.push(`${init}: a one-shot service needs restart: "no"`);
    const initCommand = `${str(svc.entrypoint)} ${str(svc.command)}`;
    for (const m of mounted) {
      const target = (svc.volumes ?? [])
        .map((v) => (typeof v === "string" ? v : ""))
        .find((v) => v.startsWith(`${m}:`))
        ?.split(":")[1];
      if (target && !initCommand.includes(target))
        problems.push(`${init}: mounts ${target} but never runs it`);
    }
  }

  // --- Every image the stack builds: context and Dockerfile exist, Dockerfile is valid, ports agree.
  const exposedBy = new Map<string, number[]>();
  const builtBy = new Map<string, string[]>();
  for (const n of names) {
    const build = services[n]?.build;
    if (build === undefined) continue;
    const context = typeof build === "string" ? build : (build.context ?? ".");
    const rel = builtFrom(services[n]) ?? "";
    if (!repo.isDirectory(context))
      problems.push(`${n}: build context ${context} is not a directory`);
    const spec = Object.values(IMAGES).find((i) => i.dockerfile === rel);
    if (!spec) {
      problems.push(
        `${n}: builds ${rel}, which is not one of ${Object.values(IMAGES)
          .map((i) => i.dockerfile)
          .join(", ")}`,
      );
      continue;
    }
    builtBy.set(rel, [...(builtBy.get(rel) ?? []), n]);
    if (!exposedBy.has(rel)) {
      const report = checkDockerfile(repo, spec);
      problems.push(...report.problems);
      exposedBy.set(rel, report.exposed);
    }
    const ports = (services[n]?.expose ?? []).map(Number);
    const exposed = exposedBy.get(rel) ?? [];
    if (ports.join() !== exposed.join())
      problems.push(
        `${n}: compose exposes ${ports.join(",") || "nothing"}, ${rel} EXPOSEs ${exposed.join(",")}`,
      );
    if (services[n]?.ports?.length) problems.push(`${n}: publishes ports; only the proxy may`);
    const e = env(services[n] ?? {});
    if (e.NODE_ENV !== "production")
      problems.push(`${n}: NODE_ENV must be production (Secure cookies, HSTS)`);
    const uri = e.MONGODB_URI ?? "";
    if (![...memberHosts].every((h) => uri.includes(h)) || !uri.includes(`replicaSet=${replSet}`)) {
      problems.push(
        `${n}: MONGODB_URI must list every replica-set member and replicaSet=${replSet}`,
      );
    }
  }
  for (const spec of Object.values(IMAGES)) {
    if (!builtBy.has(spec.dockerfile)) problems.push(`no service builds ${spec.dockerfile}`);
  }
  const apis = builtBy.get(IMAGES.api?.dockerfile ?? "") ?? [];
  if (apis.length !== 2)
    problems.push(`expected 2 API instances, found ${apis.length} (${apis.join(", ")})`);

  // --- The proxy: the only published ports; its committed config routes to the API pair and the apps.
  const published = names.filter((n) => services[n]?.ports?.length);
  const proxy = published.length === 1 ? published[0] : undefined;
  if (!proxy)
    problems.push(
      `exactly one service (the proxy) should publish ports, found ${published.join(", ") || "none"}`,
    );
  else {
    const mounts = (services[proxy]?.volumes ?? []).map((v) =>
      typeof v === "string" ? (v.split(":")[0] ?? "") : (v.source ?? ""),
    );
    const configPath = mounts.find((m) => /Caddyfile$/.test(m))?.replace(/^\.\//, "");
    const config = configPath ? repo.read(configPath) : undefined;
    if (!configPath || config === undefined)
      problems.push(`${proxy}: mounts no committed Caddyfile`);
    else {
      let sites: ReturnType<typeof readCaddySites> = [];
      try {
        sites = readCaddySites(config);
      } catch (err) {
        problems.push(`${configPath}: ${(err as Error).message}`);
      }
      const upstreamsOf = (svcNames: string[], port: number | undefined) =>
        svcNames.map((s) => `${services[s]?.hostname ?? s}:${port}`);
      const apiUpstreams = upstreamsOf(apis, exposedBy.get(IMAGES.api?.dockerfile ?? "")?.[0]);
      const apiSite = sites.find(
        (s) => apiUpstreams.length > 0 && apiUpstreams.every((u) => s.upstreams.includes(u)),
      );
      if (!apiSite)
        problems.push(
          `${configPath}: no site proxies to both API instances (${apiUpstreams.join(" ")})`,
        );
      else if (!apiSite.healthUri)
        problems.push(
          `${configPath}: the API site has no health_uri, so a dead instance stays in rotation`,
        );
      // Metrics are for the operator's scraper inside the network, never the public API URL.
      if (apiSite && !apiSite.blockedPaths.includes("/metrics"))
        problems.push(
          `${configPath}: the API site proxies /metrics publicly; answer it with respond @metrics 404`,
        );
      for (const key of ["web", "admin"] as const) {
        const spec = IMAGES[key];
        const ups = upstreamsOf(
          builtBy.get(spec?.dockerfile ?? "") ?? [],
          exposedBy.get(spec?.dockerfile ?? "")?.[0],
        );
        if (ups.length === 0 || !sites.some((s) => ups.every((u) => s.upstreams.includes(u))))
          problems.push(`${configPath}: no site proxies to ${key} (${ups.join(" ")})`);
      }
      const known = new Set(names.map((n) => services[n]?.hostname ?? n));
      for (const s of sites)
        for (const u of s.upstreams)
          if (!known.has(u.split(":")[0] ?? ""))
            problems.push(`${configPath}: upstream ${u} is no compose service`);
      const proxyEnv = env(services[proxy] ?? {});
      for (const s of sites)
        for (const m of s.address.matchAll(/\{\$(\w+)\}/g))
          if (m[1] && !(m[1] in proxyEnv))
            problems.push(
              `${configPath}: site ${s.address} reads ${m[1]}, which ${proxy} does not set`,
            );
    }
  }

  // --- Wiring: depends_on targets exist and their conditions can be met.
  for (const n of names) {
    const deps = services[n]?.depends_on ?? [];
    const entries: [string, { condition?: string }][] = Array.isArray(deps)
      ? deps.map((d) => [d, {}])
      : Object.entries(deps);
    for (const [dep, opts] of entries) {
      const target = services[dep];
      if (!target) problems.push(`${n}: depends on unknown service ${dep}`);
      else if (opts.condition === "service_healthy" && !target.healthcheck)
        problems.push(`${n}: waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    }
  }

  // --- Configuration: names documented, secrets never literal.
  const documented = parseEnvFile(repo.read(".env.example") ?? "");
  const composeOnly = parseEnvFile(repo.read("deploy/compose.env.example") ?? "");
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(compose);
  for (const name of new Set(strings.flatMap(interpolatedNames))) {
    if (!documented.has(name) && !composeOnly.has(name))
      problems.push(
        `${COMPOSE_FILE} reads \${${name}}, which neither .env.example nor deploy/compose.env.example documents`,
      );
  }
  for (const n of names) {
    const e = env(services[n] ?? {});
    const spec = Object.values(IMAGES).find((i) => i.dockerfile === builtFrom(services[n]));
    if (spec) {
      // Compose must speak the process's language: what its env module reads, nothing it ignores.
      const envModule = spec.envModules.join(" + ");
      const module = new Map(
        [...spec.envFragments, ...spec.envModules].flatMap((file) => [
          ...readEnvModule(repo.read(file) ?? ""),
        ]),
      );
      if (module.size === 0) problems.push(`${n}: ${envModule} declares no variables`);
      for (const key of Object.keys(e)) {
        if (!module.has(key)) problems.push(`${n}: sets ${key}, which ${envModule} never reads`);
      }
      for (const [key, required] of module) {
        if (required && !(key in e))
          problems.push(`${n}: ${envModule} requires ${key}, which compose does not set`);
      }
    }
    for (const [key, value] of Object.entries(e)) {
      if (SECRET_NAME.test(key) && !/^\$\{[A-Za-z_]\w*:\?[^}]*\}$/.test(value)) {
        problems.push(
          `${n}: ${key} must come from a required variable (\${${key}:?...}), not a literal or a default`,
        );
      }
      // Interpolations become one token first, so `${A:?msg}` with its colon and spaces is one part.
      const flat = value.replace(/\$\{[^}]*\}/g, "\u0000");
      for (const m of flat.matchAll(/:\/\/([^:/@\s]+):([^@/\s]+)@/g)) {
        if (m[2] !== "\u0000") problems.push(`${n}: ${key} holds a literal password in a URI`);
      }
    }
  }
  for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
    if (secret.external) continue;
    const file = (secret.file ?? "").replace(/^\.\//, "");
    if (!file.startsWith("deploy/secrets/"))
      problems.push(
        `secret ${name}: its file must live in deploy/secrets/ (uncommitted), not ${file}`,
      );
  }
  const ignore = repo.read("deploy/secrets/.gitignore") ?? "";
  if (!/^\*$/m.test(ignore))
    problems.push("deploy/secrets/.gitignore must ignore everything (*) so no secret is committed");
  return problems;
}
