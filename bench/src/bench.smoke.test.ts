// Runs the whole bench at smoke size (every scenario, every child process, the report and the
// charts) into a temp directory so the bench code cannot rot. No timing assertions: the figures
// on a shared machine mean nothing at this size; what must hold is that each scenario completes
// and produces a table and a well-formed chart.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { runBench } from "./run-bench";

describe("bench smoke run", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs all six scenarios and writes BENCHMARKS.md with one SVG chart each", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tenantry-bench-"));
    const mdFile = path.join(dir, "BENCHMARKS.md");
    const chartsDir = path.join(dir, "charts");
    const { results, failures } = await runBench({
      mode: "smoke",
      mdFile,
      chartsDir,
      command: "vitest smoke",
      log: () => undefined,
    });
    expect(failures).toEqual([]);
    expect(results.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const r of results) {
      expect(r.tables[0]?.rows.length).toBeGreaterThan(0);
      expect(["met", "not met", "partly met"]).toContain(r.verdict);
    }
    const md = await readFile(mdFile, "utf8");
    for (const heading of [
      "## 1.",
      "## 2.",
      "## 3.",
      "## 4.",
      "## 5.",
      "## 6.",
      "| commit |",
      "| machine |",
      "| command |",
    ])
      expect(md).toContain(heading);
    const charts = (await readdir(chartsDir)).sort();
    expect(charts).toEqual([
      "1-overhead.svg",
      "2-scale.svg",
      "3-churn.svg",
      "4-cold.svg",
      "5-noisy.svg",
      "6-operations.svg",
    ]);
    for (const c of charts) {
      const svg = await readFile(path.join(chartsDir, c), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg.trim().endsWith("</svg>")).toBe(true);
      expect(svg).not.toContain("NaN");
      expect(md).toContain(`charts/${c}`);
    }
    // The scale scenario really counted the API's database sockets, and the churn run evicted.
    const scale = results.find((r) => r.id === 2);
    expect(scale?.tables[0]?.rows.some((row) => row[0] === "Tenantry" && Number(row[9]) > 0)).toBe(
      true,
    );
    const churn = results.find((r) => r.id === 3);
    expect(Number(String(churn?.tables[0]?.rows[0]?.[8]).replace(/,/g, ""))).toBeGreaterThan(0);
    // Generous: seven API processes start here (two of them profiled), on a machine that may be busy.
  }, 480_000);
});
