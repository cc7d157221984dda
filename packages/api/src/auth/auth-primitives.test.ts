import { describe, expect, it } from "vitest";

import { createAccessTokens } from "./access-tokens";
import { parseCookies, serializeCookie } from "./cookies";
import { passwordWeakness } from "./password-policy";
import { hashToken, newOpaqueToken, routingIdOf } from "./refresh-tokens";

describe("cookies", () => {
  it("are Secure in production, httpOnly and SameSite=Lax always", () => {
    const c = serializeCookie("tenantry_at", "v", { secure: true, maxAgeSeconds: 900 });
    expect(c).toBe("tenantry_at=v; Path=/; Max-Age=900; HttpOnly; SameSite=Lax; Secure");
    expect(parseCookies("a=1; tenantry_at=x%3Dy")).toEqual(new Map([["a", "1"], ["tenantry_at", "x=y"]]));
  });
});

describe("password policy", () => {
  it("refuses short, common, repetitive and email-containing passwords with a reason", () => {
    expect(passwordWeakness("short")).toMatch(/at least 12/);
    expect(passwordWeakness("password1234")).toMatch(/three of|common/);
    expect(passwordWeakness("aaaaaaaaaaaaaaaa")).toMatch(/distinct/);
    expect(passwordWeakness("Alice-Secret-2026", "alice@example.com")).toMatch(/email/);
    expect(passwordWeakness("Correct-Horse-42-Battery!")).toBeNull();
    expect(passwordWeakness("correct horse battery staple")).toBeNull();
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
    const old = createAccessTokens({ issuer: "i", audience: "a", keys: [{ kid: "old", secret: "o".repeat(32) }] });
    const rotated = createAccessTokens({ issuer: "i", audience: "a", keys: [{ kid: "new", secret: "n".repeat(32) }, { kid: "old", secret: "o".repeat(32) }] });
    const { token } = await old.signTenant({ sub: "u", tid: "t", role: "member", sid: "s" });
    expect((await rotated.verifyTenant(token)).sub).toBe("u");
    const stranger = createAccessTokens({ issuer: "i", audience: "a", keys: [{ kid: "other", secret: "x".repeat(32) }] });
    await expect(stranger.verifyTenant(token)).rejects.toMatchObject({ reason: "TOKEN_INVALID" });
    expect(() => createAccessTokens({ issuer: "i", audience: "a", secret: "too-short" })).toThrow(/at least 32/);
  });
});
