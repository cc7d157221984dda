// Short form of the load test (the full one is `pnpm test:load`): 50 virtual users over 100
// tenants for 20 s against the real API server process.
import { describe, expect, it } from "vitest";

import { SHORT_PROFILE, TOLERANCE, runLoadScenario, summarize } from "./load-scenario";

describe("load (short form)", () => {
  it("serves mixed logins, reads and writes with 0 errors, every write in its own tenant only, sockets and memory flat", async () => {
    const result = await runLoadScenario(SHORT_PROFILE);
    console.info(summarize(result));
    expect(result.report.failures).toEqual([]);
    expect(result.report.ops["auth.login"]).toBeGreaterThan(0);
    expect(result.verify.writes).toBeGreaterThan(50);
    expect(result.verify.readBackByOwner).toBe(result.verify.writes);
    expect(result.verify.visibleToOtherTenant).toEqual([]);
    expect(result.verify.misplaced).toEqual([]);
    expect(result.verify.missing).toBe(0);
    expect(Math.abs(result.end.dbSockets - result.start.dbSockets)).toBeLessThanOrEqual(
      TOLERANCE.socketsDelta,
    );
    expect(result.end.dbSockets).toBeLessThanOrEqual(TOLERANCE.socketsMax);
    expect(result.end.rssMb).toBeLessThanOrEqual(result.start.rssMb * (1 + TOLERANCE.rssGrowth));
  }, 120_000);
});
