// What a process prints, in a real child process: piped (as under a log collector) and on a
// pseudo-terminal (util-linux `script`, as in a developer's shell).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

import { chooseLogFormat } from "./logger";

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = path.join(pkgDir, "node_modules", "tsx", "dist", "loader.mjs");

/** Logs one entry through createLogger in a fresh process and returns its stdout. */
function logOnce(
  opts: { nodeEnv: string; format?: string },
  terminal: boolean,
): Promise<{ code: number | null; out: string }> {
  const program =
    `const { createLogger } = await import(${JSON.stringify(path.join(pkgDir, "src/logger.ts"))});` +
    `createLogger({ service: "svc-test", level: "info", nodeEnv: ${JSON.stringify(opts.nodeEnv)}, ` +
    `format: ${JSON.stringify(opts.format)} }).info({ tenant: "acme" }, "hello there");`;
  const node = [process.execPath, "--import", tsx, "--input-type=module", "-e", program];
  const quoted = node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const [cmd, args] = terminal
    ? ["script", ["-qec", quoted, "/dev/null"]]
    : [node[0] as string, node.slice(1)];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: "dumb", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

function expectJson(out: string) {
  const entry = JSON.parse(out.trim()) as Record<string, unknown>;
  expect(entry).toMatchObject({ service: "svc-test", msg: "hello there", tenant: "acme" });
}

function expectPretty(out: string) {
  expect(() => JSON.parse(out.trim())).toThrow();
  expect(out).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: hello there \{"tenant":"acme"\}\r?$/m);
}

describe("log format", () => {
  it("is pretty on a terminal outside production, JSON otherwise", () => {
    expect(chooseLogFormat({ nodeEnv: "development" }, true)).toBe("pretty");
    expect(chooseLogFormat({ nodeEnv: "development" }, false)).toBe("json");
    expect(chooseLogFormat({ nodeEnv: "production" }, true)).toBe("json");
    expect(chooseLogFormat({ nodeEnv: "production", format: "pretty" }, false)).toBe("pretty");
    expect(chooseLogFormat({ nodeEnv: "development", format: "json" }, true)).toBe("json");
  });

  it("writes JSON lines when its output is a pipe", async () => {
    const run = await logOnce({ nodeEnv: "development" }, false);
    expect(run.code).toBe(0);
    expectJson(run.out);
  });

  it("writes readable lines on a terminal", async () => {
    const run = await logOnce({ nodeEnv: "development" }, true);
    expect(run.code).toBe(0);
    expectPretty(run.out);
  });

  it("writes JSON on a terminal in production, and when LOG_FORMAT=json", async () => {
    expectJson((await logOnce({ nodeEnv: "production" }, true)).out);
    expectJson((await logOnce({ nodeEnv: "development", format: "json" }, true)).out);
  });

  it("writes readable lines into a pipe when LOG_FORMAT=pretty (npm start's case)", async () => {
    expectPretty((await logOnce({ nodeEnv: "production", format: "pretty" }, false)).out);
  });
});
