// Keeps the production files valid without Docker (none can run on the development machine):
// the real files must pass every check, and each check must catch the breakage it exists for.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCaddySites } from "./caddyfile";
import { checkCompose, COMPOSE_FILE, IMAGES, readEnvModule } from "./compose-rules";
import { parseDockerfile } from "./dockerfile";
import { checkDockerfile } from "./dockerfile-rules";
import { isIgnored } from "./dockerignore";
import { diskRepo, overlayRepo, workspacePackages } from "./repo-view";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const repo = diskRepo(root);
const compose = repo.read(COMPOSE_FILE) ?? "";

/** Problems the checker reports after `edit` rewrites one file. */
function problemsAfter(file: string, edit: (text: string) => string | null): string[] {
  const original = repo.read(file);
  if (original === undefined) throw new Error(`${file} missing`);
  const edited = edit(original);
  if (edited === original) throw new Error(`the edit of ${file} changed nothing`);
  return checkCompose(overlayRepo(repo, { [file]: edited }));
}

describe("the committed deployment files", () => {
  it("docker-compose.prod.yml and every Dockerfile it builds pass all checks", () => {
    expect(checkCompose(repo)).toEqual([]);
  });

  it.each(Object.entries(IMAGES))("the %s Dockerfile is valid on its own", (_key, spec) => {
    const report = checkDockerfile(repo, spec);
    expect(report.problems).toEqual([]);
    expect(report.parsed?.stages.map((s) => s.name)).toEqual([
      "base",
      "deps",
      "build",
      "prod",
      "runtime",
    ]);
  });

  it("names the pieces DEPLOYMENT.md promises", () => {
    const doc = repo.read("DEPLOYMENT.md") ?? "";
    expect(doc).toMatch(/Docker cannot run on the development machine/);
    for (const file of [
      COMPOSE_FILE,
      ...Object.values(IMAGES).map((i) => i.dockerfile),
      "deploy/proxy/Caddyfile",
      "deploy/mongo/init-replica-set.js",
    ]) {
      expect(doc).toContain(file);
      expect(repo.exists(file)).toBe(true);
    }
  });
});

describe("each check catches what it exists for", () => {
  it("a replica set with a member missing", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace(/\n {2}mongo-3:\n(?: {4}.*\n)+/, "\n"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/expected 3 MongoDB replica-set members, found 2/),
    );
  });

  it("an init script that initiates hosts other than the members", () => {
    const problems = problemsAfter("deploy/mongo/init-replica-set.js", (t) =>
      t.replace('"mongo-3:27017"', '"mongo-4:27017"'),
    );
    expect(problems).toContainEqual(expect.stringMatching(/initiates .*mongo-4:27017/));
  });

  it("a single API instance", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace(/\n {2}api-2:\n(?: {4}.*\n)+/, "\n"),
    );
    expect(problems).toContainEqual("expected 2 API instances, found 1 (api-1)");
  });

  it("a proxy that forgets one API instance", () => {
    const problems = problemsAfter("deploy/proxy/Caddyfile", (t) =>
      t.replace("reverse_proxy api-1:4000 api-2:4000", "reverse_proxy api-1:4000"),
    );
    expect(problems).toContainEqual(expect.stringMatching(/no site proxies to both API instances/));
  });

  it("a proxy that serves the API's /metrics publicly", () => {
    const problems = problemsAfter("deploy/proxy/Caddyfile", (t) =>
      t.replace(/\n\t@metrics path .*\n\trespond @metrics 404\n/, "\n"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/the API site proxies \/metrics publicly/),
    );
  });

  it("a /metrics block that answers 200 instead of refusing", () => {
    const problems = problemsAfter("deploy/proxy/Caddyfile", (t) =>
      t.replace("respond @metrics 404", "respond @metrics 200"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/the API site proxies \/metrics publicly/),
    );
  });

  it("a literal secret in the compose file", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace(
        "JWT_SECRET: ${JWT_SECRET:?set JWT_SECRET}",
        "JWT_SECRET: hunter2hunter2hunter2hunter2hunter2",
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/JWT_SECRET must come from a required variable/),
    );
  });

  it("a secret with a default value (a literal in disguise)", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace("${ENCRYPTION_KEY:?set ENCRYPTION_KEY}", "${ENCRYPTION_KEY:-c2VjcmV0}"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/ENCRYPTION_KEY must come from a required variable/),
    );
  });

  it("a literal password inside MONGODB_URI", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace("${MONGO_APP_PASSWORD:?set MONGO_APP_PASSWORD}@", "s3cret@"),
    );
    expect(problems).toContainEqual(expect.stringMatching(/MONGODB_URI holds a literal password/));
  });

  it("a variable the process never reads, or an undocumented interpolation", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace(
        "  LOG_LEVEL: ${LOG_LEVEL:-info}",
        "  LOG_LEVEL: ${LOG_LEVEL:-info}\n  LOG_COLOUR: ${LOG_COLOUR:-none}",
      ),
    );
    expect(problems).toContainEqual(
      "api-1: sets LOG_COLOUR, which packages/api/src/server/env.ts + packages/api/src/observation/env.ts never reads",
    );
    expect(problems).toContainEqual("web: sets LOG_COLOUR, which apps/web/src/env.ts never reads");
    expect(problems).toContainEqual(
      expect.stringMatching(
        /reads \$\{LOG_COLOUR\}, which neither .env.example nor deploy\/compose.env.example/,
      ),
    );
  });

  it("a variable the process requires but compose leaves out", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace(
        "      ADMIN_EMAIL: ${ADMIN_EMAIL:?set ADMIN_EMAIL}\n      ADMIN_PASSWORD",
        "      ADMIN_PASSWORD",
      ),
    );
    expect(problems).toContainEqual(
      "admin: apps/admin/src/env.ts requires ADMIN_EMAIL, which compose does not set",
    );
  });

  it("a build context or Dockerfile that does not exist", () => {
    const problems = problemsAfter(COMPOSE_FILE, (t) =>
      t.replace("dockerfile: deploy/web.Dockerfile", "dockerfile: deploy/webapp.Dockerfile"),
    );
    expect(problems).toContainEqual(expect.stringMatching(/builds deploy\/webapp.Dockerfile/));
    expect(problems).toContainEqual("no service builds deploy/web.Dockerfile");
  });

  it("compose and Dockerfile disagreeing on a port", () => {
    const problems = problemsAfter("deploy/admin.Dockerfile", (t) =>
      t.replace("EXPOSE 3001", "EXPOSE 3002"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/admin: compose exposes 3001, deploy\/admin.Dockerfile EXPOSEs 3002/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/CMD listens on 3001, EXPOSE says 3002/));
  });

  it("a COPY whose source is not in the repository", () => {
    const problems = problemsAfter("deploy/api.Dockerfile", (t) =>
      t.replace(
        "COPY pnpm-lock.yaml pnpm-workspace.yaml ./",
        "COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./",
      ),
    );
    expect(problems).toContainEqual(expect.stringMatching(/COPY source .npmrc does not exist/));
  });

  it("a COPY --from a stage that does not exist, and an unknown instruction", () => {
    const problems = problemsAfter("deploy/web.Dockerfile", (t) =>
      t.replace("COPY --from=prod", "COPY --from=production").replace("USER node", "USR node"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/COPY --from=production names no earlier stage/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/unknown instruction USR/));
    expect(problems).toContainEqual(expect.stringMatching(/non-root USER/));
  });

  it("a pnpm pin that drifts from the root packageManager", () => {
    const problems = problemsAfter("deploy/api.Dockerfile", (t) =>
      t.replace("pnpm@12.4.2", "pnpm@12.5.0"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/pnpm must be installed with .*pnpm@12.4.2/),
    );
  });

  it("an API image that drops the serve script's --import (tracing would never start)", () => {
    const problems = problemsAfter("deploy/api.Dockerfile", (t) =>
      t.replace(/^CMD \["node", [^\]]+\]/m, 'CMD ["node", "dist/main.mjs"]'),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/CMD runs node dist\/main.mjs, but @tenantry\/api's serve script/),
    );
  });

  it("an API image that runs something other than the serve script", () => {
    const problems = problemsAfter("deploy/api.Dockerfile", (t) =>
      t.replace(/^CMD \["node", [^\]]+\]/m, 'CMD ["node", "dist/server.mjs"]'),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/CMD runs node dist\/server.mjs, but @tenantry\/api's serve script/),
    );
  });

  it("an API image that runs the compiled server without building it", () => {
    const problems = problemsAfter("deploy/api.Dockerfile", (t) =>
      t.replace(/ \\\n && pnpm --filter @tenantry\/api build/, ""),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/CMD runs .*dist\/main.mjs, but no RUN builds @tenantry\/api/),
    );
  });
});

describe("the readers", () => {
  it("reads an env module's variables and which ones have no default", () => {
    const vars = readEnvModule(
      [
        "const schema = z.object({",
        '  NODE_ENV: z.enum(["a"]).default("a"),',
        "  MONGODB_URI: z",
        "    .string()",
        "    .regex(/x/),",
        "  ADMIN_EMAIL: z.email().optional(),",
        "});",
      ].join("\n"),
    );
    expect([...vars]).toEqual([
      ["NODE_ENV", false],
      ["MONGODB_URI", true],
      ["ADMIN_EMAIL", false],
    ]);
  });

  it("joins continuation lines, skips comments inside them and reads exec form", () => {
    const df = parseDockerfile(
      [
        "# syntax=docker/dockerfile:1",
        "ARG IMG=node:20-slim",
        "FROM ${IMG} AS a",
        "RUN echo one \\",
        "# a comment",
        "  && echo two",
        'CMD ["node", "x.js"]',
      ].join("\n"),
    );
    expect(df.stages[0]?.base).toBe("node:20-slim");
    expect(df.instructions.map((i) => i.name)).toEqual(["ARG", "FROM", "RUN", "CMD"]);
    expect(df.instructions[2]?.args).toBe("echo one && echo two");
    expect(df.instructions[3]?.json).toEqual(["node", "x.js"]);
  });

  it("applies .dockerignore like Docker: last match wins, parents exclude children", () => {
    const ignore = repo.read(".dockerignore") ?? "";
    expect(isIgnored("apps/web/node_modules/next/package.json", ignore)).toBe(true);
    expect(isIgnored(".env", ignore)).toBe(true);
    expect(isIgnored(".env.example", ignore)).toBe(false);
    expect(isIgnored("deploy/secrets/mongo-keyfile", ignore)).toBe(true);
    expect(isIgnored("pnpm-lock.yaml", ignore)).toBe(false);
  });

  it("reads Caddy sites without mistaking placeholders for blocks", () => {
    const sites = readCaddySites(repo.read("deploy/proxy/Caddyfile") ?? "");
    expect(sites.map((s) => s.address)).toEqual([
      "{$WEB_URL}",
      "{$ADMIN_URL}",
      "{$API_PUBLIC_URL}",
    ]);
    expect(sites[2]?.upstreams).toEqual(["api-1:4000", "api-2:4000"]);
    expect(sites[2]?.healthUri).toBe("/readyz");
    expect(sites[2]?.blockedPaths).toEqual(["/metrics", "/metrics/*"]);
    expect(compose).toContain("./deploy/proxy/Caddyfile:/etc/caddy/Caddyfile:ro");
  });
});

describe("the workspace as pnpm sees it", () => {
  it("finds every package pnpm-workspace.yaml lists", () => {
    const packages = workspacePackages(repo);
    for (const name of [
      "@tenantry/api",
      "@tenantry/web",
      "@tenantry/admin",
      "@tenantry/cli",
      "@tenantry/deploy-check",
    ]) {
      expect(packages.has(name)).toBe(true);
    }
    expect(packages.get("@tenantry/cli")).toBe("packages/cli");
  });
});
