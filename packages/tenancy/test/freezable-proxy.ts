// A TCP proxy in front of a server that can "freeze": sockets stay open but nothing flows,
// which is what a hung or black-holed cluster looks like to the driver (unlike a clean stop).
import { createServer, connect } from "node:net";
import type { Socket } from "node:net";

export interface FreezableProxy {
  uri: string;
  freeze(): void;
  close(): Promise<void>;
}

export async function startFreezableProxy(targetPort: number): Promise<FreezableProxy> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    if (frozen) return; // accept, then never answer
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("data", (d: Buffer) => {
      if (!frozen) upstream.write(d);
    });
    upstream.on("data", (d: Buffer) => {
      if (!frozen) client.write(d);
    });
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    // directConnection: the server advertises its own port in `hosts`, not the proxy's.
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    freeze() {
      frozen = true;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
