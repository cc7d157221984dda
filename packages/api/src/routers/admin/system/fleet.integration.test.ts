// The API fleet over real HTTP: three instances on one control database (this process, a second
// one in this process, and the real server entry as a child process with its own pid) each report
// themselves; a cleanly stopped one leaves the fleet, a killed one is marked stale.
import { startProcessGroup } from "@tenantry/test-kit";
import type { ProcessGroup } from "@tenantry/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance } from "../../../../test/api-harness";
import {
  ENCRYPTION_KEY,
  JWT,
  adminClient,
  failure,
  startHarness,
  startInstance,
} from "../../../../test/api-harness";

const BEAT_MS = 100;
const API_DIR = new URL("../../../../", import.meta.url).pathname;

let h: Harness;
let second: Instance | null = null;
let child: ProcessGroup | null = null;

type Fleet = Awaited<ReturnType<Harness["admin"]["system"]["fleet"]["query"]>>;

/** Polls the fleet (through the harness instance) until `ok` holds. */
async function fleetUntil(ok: (f: Fleet) => boolean, timeoutMs = 30_000): Promise<Fleet> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fleet = await h.admin.system.fleet.query();
    if (ok(fleet)) return fleet;
    if (Date.now() > deadline) throw new Error(`fleet never matched: ${JSON.stringify(fleet)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  h = await startHarness({}, undefined, { heartbeatMs: BEAT_MS });
  second = await startInstance(h.uri, h.controlDbName, {}, { heartbeatMs: BEAT_MS });
  // The production entry (main.ts), as `api serve` runs it: another process, another pid.
  child = startProcessGroup(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: API_DIR,
    ownGroup: false,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      MONGODB_URI: h.uri,
      CONTROL_DB_NAME: h.controlDbName,
      ENCRYPTION_KEY,
      JWT_SECRET: JWT.secret,
      INSTANCE_HEARTBEAT_MS: String(BEAT_MS),
    },
  });
  child.child.stdout?.resume();
  child.child.stderr?.resume();
}, 120_000);

afterAll(async () => {
  await child?.stop({ signal: "SIGKILL" });
  await second?.close();
  await h?.stop();
});

describe("admin system.fleet", () => {
  it("lists every instance with its own pid, start time and pool figures", async () => {
    const childPid = child?.pid ?? -1;
    const fleet = await fleetUntil((f) => f.instances.some((i) => i.pid === childPid), 90_000);
    expect(fleet.answeredBy).toBe(h.services.config.instanceId);
    const byId = new Map(fleet.instances.map((i) => [i.instanceId, i]));
    const self = byId.get(h.services.config.instanceId);
    const other = byId.get(second?.services.config.instanceId ?? "");
    const spawned = fleet.instances.find((i) => i.pid === childPid);
    expect(fleet.instances).toHaveLength(3);
    expect(self).toMatchObject({ pid: process.pid, node: process.version, stale: false });
    expect(other).toMatchObject({ pid: process.pid, stale: false });
    expect(spawned).toMatchObject({ stale: false, version: expect.any(String) });
    expect(self?.startedAt).toEqual(h.services.config.startedAt);
    expect(other?.startedAt).toEqual(second?.services.config.startedAt);
    expect(new Set(fleet.instances.map((i) => i.startedAt.getTime())).size).toBe(3);
    // Uptime counts from each instance's own start.
    for (const i of fleet.instances) {
      const expected = (fleet.at.getTime() - i.startedAt.getTime()) / 1000;
      expect(Math.abs(i.uptimeSeconds - expected)).toBeLessThanOrEqual(1);
      expect(i.pool).toMatchObject({
        handles: expect.any(Number),
        leases: expect.any(Number),
        openClients: expect.any(Number),
        leasedTenants: expect.any(Number),
      });
      expect(i.pool).not.toHaveProperty("leasesByTenant");
    }
    // Each instance reports its own figures: traffic through one shows in its entry only.
    const tenant = await h.tenant("fleet-acme");
    await tenant.client.auth.me.query();
    const before = other?.pool.misses ?? 0;
    const after = await fleetUntil(
      (f) =>
        (f.instances.find((i) => i.instanceId === self?.instanceId)?.pool.misses ?? 0) >
        (self?.pool.misses ?? 0),
    );
    expect(after.instances.find((i) => i.instanceId === other?.instanceId)?.pool.misses).toBe(
      before,
    );
    // The second instance answers for itself, and sees the same fleet.
    const viaSecond = await adminClient(second?.url ?? "", h.adminToken).system.fleet.query();
    expect(viaSecond.answeredBy).toBe(second?.services.config.instanceId);
    expect(viaSecond.instances.map((i) => i.instanceId).sort()).toEqual(
      fleet.instances.map((i) => i.instanceId).sort(),
    );
    // system.info's uptime agrees with its startedAt.
    const info = await h.admin.system.info.query();
    expect(
      Math.abs(info.uptimeSeconds - (Date.now() - info.startedAt.getTime()) / 1000),
    ).toBeLessThanOrEqual(2);
  });

  it("drops a cleanly stopped instance and marks a killed one stale", async () => {
    const stoppedId = second?.services.config.instanceId ?? "";
    await second?.close();
    second = null;
    const afterStop = await h.admin.system.fleet.query();
    expect(afterStop.instances.map((i) => i.instanceId)).not.toContain(stoppedId);

    const childPid = child?.pid ?? -1;
    await child?.stop({ signal: "SIGKILL" });
    child = null;
    const afterKill = await fleetUntil(
      (f) => f.instances.find((i) => i.pid === childPid)?.stale === true,
      5_000,
    );
    const killed = afterKill.instances.find((i) => i.pid === childPid);
    expect(afterKill.at.getTime() - (killed?.lastSeenAt.getTime() ?? 0)).toBeGreaterThan(
      3 * BEAT_MS,
    );
    expect(
      afterKill.instances.find((i) => i.instanceId === h.services.config.instanceId),
    ).toMatchObject({
      stale: false,
    });
  });

  it("is for super admins only", async () => {
    expect((await failure(adminClient(h.url).system.fleet.query())).code).toBe("UNAUTHORIZED");
  });
});
