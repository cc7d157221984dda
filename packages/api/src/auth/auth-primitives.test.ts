import { afterEach, describe, expect, it, vi } from "vitest";

import { createAccessTokens } from "./access-tokens";
import { parseCookies, serializeCookie } from "./cookies";
import { hashToken, newOpaqueToken, routingIdOf } from "./refresh-tokens";

describe("cookies", () => {
  it("are Secure in production, httpOnly and SameSite=Lax always", () => {
    const c = serializeCookie("tenantry_at", "v", { secure: true, maxAgeSeconds: 900 });
    expect(c).toBe("tenantry_at=v; Path=/; Max-Age=900; HttpOnly; SameSite=Lax; Secure");
    expect(parseCookies("a=1; tenantry_at=x%3Dy")).toEqual(
      new Map([
        ["a", "1"],
        ["tenantry_at", "x=y"],
      ]),
    );
  });
});

describe("tokens", () => {
  it("routes refresh tokens by their prefix and stores only a sha-256", () => {
    const t = newOpaqueToken("a".repeat(24));
    expect(routingIdOf(t)).toBe("a".repeat(24));
    expect(routingIdOf("x.y")).toBeNull();
    expect(hashToken(t)).toMatch(/^[a-f0-9]{64}$/);
  });

  it("rotates signing keys: tokens of the previous key still verify, unknown kids do not", async () => {
    const old = createAccessTokens({
      issuer: "i",
      audience: "a",
      keys: [{ kid: "old", secret: "o".repeat(32) }],
    });
    const rotated = createAccessTokens({
      issuer: "i",
      audience: "a",
      keys: [
        { kid: "new", secret: "n".repeat(32) },
        { kid: "old", secret: "o".repeat(32) },
      ],
    });
    const { token } = await old.signTenant({ sub: "u", tid: "t", role: "member", sid: "s" });
    expect((await rotated.verifyTenant(token)).sub).toBe("u");
    const stranger = createAccessTokens({
      issuer: "i",
      audience: "a",
      keys: [{ kid: "other", secret: "x".repeat(32) }],
    });
    await expect(stranger.verifyTenant(token)).rejects.toMatchObject({ reason: "TOKEN_INVALID" });
    expect(() => createAccessTokens({ issuer: "i", audience: "a", secret: "too-short" })).toThrow(
      /at least 32/,
    );
  });

  describe("verified-token cache", () => {
    afterEach(() => vi.useRealTimers());
    const tokens = () =>
      createAccessTokens({
        issuer: "i",
        audience: "a",
        secret: "s".repeat(32),
        accessTtlSeconds: 60,
      });

    it("answers a repeated token with the same claims, and still says TOKEN_EXPIRED once it has expired", async () => {
      const t = tokens();
      const { token } = await t.signTenant({ sub: "u", tid: "t", role: "admin", sid: "s" }, 5);
      const first = await t.verifyTenant(token);
      expect(await t.verifyTenant(token)).toEqual(first);
      // Only the clock moves: the cached entry must not outlive the token's exp.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6000 });
      await expect(t.verifyTenant(token)).rejects.toMatchObject({ reason: "TOKEN_EXPIRED" });
      await expect(t.verifyTenant(token)).rejects.toMatchObject({ reason: "TOKEN_EXPIRED" });
    });

    it("never lets a cached tenant token pass as an admin one, or a one-character change pass at all", async () => {
      const t = tokens();
      const { token } = await t.signTenant({ sub: "u", tid: "t", role: "member", sid: "s" });
      await t.verifyTenant(token);
      await expect(t.verifyAdmin(token)).rejects.toMatchObject({ reason: "TOKEN_INVALID" });
      // A character inside the signature (the last one carries unused padding bits).
      const at = token.length - 10;
      const tampered = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
      await expect(t.verifyTenant(tampered)).rejects.toMatchObject({ reason: "TOKEN_INVALID" });
      const admin = await t.signAdmin({ sub: "a", sid: "s" });
      expect((await t.verifyAdmin(admin.token)).sub).toBe("a");
      expect((await t.verifyAdmin(admin.token)).kind).toBe("admin");
      await expect(t.verifyTenant(admin.token)).rejects.toMatchObject({ reason: "TOKEN_INVALID" });
    });
  });
});
