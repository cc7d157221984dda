// Point 4: a suspend, resume or delete made by one process reaches another within 1 s.
import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import type { TenancyConfig } from "./config";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";

let server: TestServer;
let tenancy: Tenancy;
let config: TenancyConfig;
let child: ChildProcessWithoutNullStreams;
const events: { event: string; state?: string; at: number; drained?: boolean }[] = [];

function waitFor(
  pred: (e: (typeof events)[number]) => boolean,
  timeoutMs = 10_000,
): Promise<(typeof events)[number]> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      const hit = events.find(pred);
      if (hit) return resolve(hit);
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`timed out; events: ${JSON.stringify(events)}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

beforeAll(async () => {
  server = await startServer();
  // The production default poll interval, to measure what deployments get.
  config = testConfig(server.uri, { registryRefreshMs: 250 });
  tenancy = await createTenancy(config);
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await server?.stop();
});

describe("cross-process registry invalidation", () => {
  it("propagates suspend, resume and delete to a second process within 1 s, and the child shuts down cleanly on SIGTERM", async () => {
    const t = await tenancy.lifecycle.provision({
      slug: "propagate",
      name: "Propagate",
      owner: owner("p"),
    });
    const script = fileURLToPath(new URL("../test/registry-watcher.ts", import.meta.url));
    child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: {
        ...process.env,
        WATCHER_CONFIG: JSON.stringify({ ...config, modules: undefined }),
        WATCHER_TENANT: t.id,
      },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        events.push(JSON.parse(line) as (typeof events)[number]);
      } catch {
        // not one of ours
      }
    });
    await waitFor((e) => e.state === "active", 30_000).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\nchild stderr: ${stderr}`);
    });

    const delays: Record<string, number> = {};
    const before1 = Date.now();
    await tenancy.lifecycle.suspend(t.id, "chargeback");
    delays.suspend =
      (await waitFor((e) => e.state === "TENANT_SUSPENDED" && e.at >= before1)).at - before1;

    const before2 = Date.now();
    await tenancy.lifecycle.resume(t.id);
    delays.resume = (await waitFor((e) => e.state === "active" && e.at >= before2)).at - before2;

    const before3 = Date.now();
    await tenancy.lifecycle.softDelete(t.id);
    delays.delete =
      (await waitFor((e) => e.state === "TENANT_DELETED" && e.at >= before3)).at - before3;
    console.info(
      `[registry] propagation to a second process (poll 250 ms): ${JSON.stringify(delays)}`,
    );

    expect(delays.suspend).toBeLessThan(1000);
    expect(delays.resume).toBeLessThan(1000);
    expect(delays.delete).toBeLessThan(1000);

    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(events.find((e) => e.event === "shutdown")).toMatchObject({ drained: true });
  }, 60_000);
});
