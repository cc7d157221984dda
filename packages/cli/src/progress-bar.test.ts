import { describe, expect, it } from "vitest";

import { createProgressBar, renderProgressLine } from "./progress-bar";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (s: string) => writes.push(s) > 0 } };
}

describe("progress bar", () => {
  it("shows the share done, the count and the current item within the terminal width", () => {
    const line = renderProgressLine({
      label: "migrating",
      done: 3,
      total: 12,
      note: "acme",
      elapsedMs: 1500,
      width: 60,
    });
    expect(line).toMatch(/^migrating █+░+ {2}25% 3\/12 1\.5s acme$/);
    expect(line.length).toBeLessThan(60);
    expect(
      renderProgressLine({ label: "x", done: 12, total: 12, elapsedMs: 0, width: 60 }),
    ).toContain("100% 12/12");
  });

  it("draws on a terminal, throttles redraws, always draws completion, then clears the line", () => {
    const { writes, stream } = fakeStream(true);
    const bar = createProgressBar("migrating", stream);
    bar.update(1, 3);
    bar.update(2, 3); // within one frame of the first: skipped
    bar.update(3, 3); // complete: drawn regardless
    bar.finish();
    expect(writes).toHaveLength(3);
    expect(writes[0]?.startsWith("\r\x1b[2Kmigrating ")).toBe(true);
    expect(writes[0]).toContain("1/3");
    expect(writes[1]).toMatch(/100% 3\/3/);
    expect(writes[2]).toBe("\r\x1b[2K");
  });

  it("writes nothing when stderr is not a terminal or progress is turned off", () => {
    for (const [tty, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const { writes, stream } = fakeStream(tty);
      const bar = createProgressBar("export", stream, { enabled });
      bar.update(1, 2);
      bar.finish();
      expect(writes).toEqual([]);
    }
  });
});
