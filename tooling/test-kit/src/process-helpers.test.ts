import { createServer } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";

import { waitForHttp } from "./http";
import { freePort } from "./ports";
import { TCP, cpuMs, fdCount, rssBytes, tcpConnectionsTo } from "./proc-stats";
import { startProcessGroup } from "./process-group";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("freePort and waitForHttp", () => {
  it("waits until a server on a free port answers", async () => {
    const port = await freePort();
    const server = createServer((_req, res) => res.writeHead(302, { location: "/login" }).end());
    setTimeout(() => server.listen(port, "127.0.0.1"), 300);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 10_000 });
    } finally {
      server.close();
    }
  });

  it("gives up on a timeout, and at once when told the server failed", async () => {
    const port = await freePort();
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 200 })).rejects.toThrow(
      /did not answer within 200 ms/,
    );
    await expect(
      waitForHttp(`http://127.0.0.1:${port}/`, { failed: () => "the server exited with 1" }),
    ).rejects.toThrow("the server exited with 1");
  });
});

describe("startProcessGroup", () => {
  it("stops the whole group, grandchildren included", async () => {
    const script = `const c = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const group = startProcessGroup(process.execPath, ["-e", script], { env: process.env });
    const grandchild = await new Promise<number>((resolve) =>
      group.child.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    expect(alive(grandchild)).toBe(true);
    await group.stop();
    expect(await group.exited).toBeNull(); // ended by the signal
    await expect.poll(() => alive(grandchild), { timeout: 5_000 }).toBe(false);
  });

  it("SIGKILLs a child that ignores SIGTERM once the grace period is over", async () => {
    const group = startProcessGroup(
      process.execPath,
      ["-e", `process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000);`],
      { env: process.env },
    );
    await new Promise((r) => group.child.stdout?.once("data", r));
    await group.stop({ graceMs: 300 });
    expect(group.child.signalCode).toBe("SIGKILL");
  });
});

describe("/proc readers", () => {
  it("read this process's memory, fds, CPU time and its connection to a local server", async () => {
    expect(await rssBytes(process.pid)).toBeGreaterThan(10 * 1024 * 1024);
    expect(await fdCount(process.pid)).toBeGreaterThan(2);
    expect(await cpuMs(process.pid)).toBeGreaterThan(0);
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as AddressInfo;
    const before = await tcpConnectionsTo(process.pid, [port]);
    const socket = connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    try {
      expect(await tcpConnectionsTo(process.pid, [port], [TCP.ESTABLISHED])).toBe(before + 1);
    } finally {
      socket.destroy();
      server.close();
    }
  });
});
