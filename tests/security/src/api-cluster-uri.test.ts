// Audit F-12: clusters.add is no SSRF or local-probe primitive. The URI is checked before any
// connection: mongodb:// or mongodb+srv:// with hosts on the allow-list (loopback by default),
// no options that read local files or fetch credentials; and every failure to connect answers
// the same generic message, whatever listens (or does not) at the address.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Stack } from "./api-stack";
import { startStack } from "./api-stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack({ tenants: 1 });
}, 120_000);
afterAll(async () => s?.stop());

const add = (name: string, uri: string) =>
  s.apiCall("admin", "mutation", "clusters.add", { name, uri }, { token: s.adminToken });

describe("clusters.add", () => {
  it("refuses a host that is not on the allow-list, without connecting", async () => {
    for (const uri of [
      "mongodb://10.0.0.1:27017",
      "mongodb://169.254.169.254:80",
      "mongodb+srv://cluster0.attacker.example",
      "mongodb://127.0.0.1:27017,internal.corp:27017",
    ]) {
      const r = await add("probe", uri);
      expect(r.status, uri).toBe(400);
      // The policy's answer, not a connection's: nothing was dialled.
      expect(r.message, uri).toMatch(/not on the cluster host allow-list/);
    }
  });

  it("refuses options that read local files or fetch credentials", async () => {
    for (const option of [
      "tlsCAFile=/etc/hostname",
      "tlsCertificateKeyFile=/etc/passwd",
      "tlsCRLFile=/etc/hostname",
      "authMechanism=MONGODB-AWS",
      "authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure",
      "authMechanism=GSSAPI",
      "proxyHost=127.0.0.1&proxyPort=1080",
    ]) {
      const r = await add("probe", `mongodb://127.0.0.1:1/?${option}`);
      expect(r.status, option).toBe(400);
      expect(r.message, option).toMatch(/is not allowed/);
    }
  });

  it("answers one generic message for a closed port and for an open port that is not MongoDB", async () => {
    const http = createServer((_req, res) => res.end("hello"));
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", () => r()));
    try {
      const { port } = http.address() as AddressInfo;
      const closed = await add("probe", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300");
      const open = await add("probe", `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=300`);
      for (const r of [closed, open]) {
        expect(r.status).toBe(400);
        expect(r.message).toMatch(/did not answer/);
        expect(r.message).not.toMatch(/ECONNREFUSED|closed|ENOENT|timed out|127\.0\.0\.1/);
      }
      expect(closed.message).toBe(open.message);
    } finally {
      http.close();
    }
  });

  it("adds a cluster on an allowed host that answers", async () => {
    const r = await add("second", s.mongo.uri);
    expect(r.ok).toBe(true);
  });
});
