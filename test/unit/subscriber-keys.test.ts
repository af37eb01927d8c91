import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseLinkKeyring, pseudonym } from "../../shared/domain/subscriptions/keys";
import { subscriberIdFor } from "../../shared/domain/subscriptions/subscriber";
import { signToken, verifyToken } from "../../shared/domain/subscriptions/tokens";

const KEY_1 = "first-link-key-0123456789abcdef0123456789";
const KEY_2 = "second-link-key-0123456789abcdef012345678";
const NOW = 1_800_000_000;
const claims = { purpose: "unsubscribe" as const, subscriberId: "a".repeat(32), version: 1 };

describe("the link keyring", () => {
  it("keeps links signed with an older key working after the current key rotates", () => {
    const before = parseLinkKeyring(JSON.stringify({ current: "k1", k1: KEY_1 }));
    const after = parseLinkKeyring(JSON.stringify({ current: "k2", k1: KEY_1, k2: KEY_2 }));
    const mailedLastYear = signToken(before, claims);

    expect(verifyToken(after, mailedLastYear, "unsubscribe", NOW)).toEqual({ ok: true, claims });
    expect(signToken(after, claims).startsWith("k2.")).toBe(true);
    expect(verifyToken(after, signToken(after, claims), "unsubscribe", NOW).ok).toBe(true);
  });

  it("refuses links of a key once it is dropped from the ring", () => {
    const old = signToken(parseLinkKeyring(JSON.stringify({ current: "k1", k1: KEY_1 })), claims);
    const withoutIt = parseLinkKeyring(JSON.stringify({ current: "k2", k2: KEY_2 }));

    expect(verifyToken(withoutIt, old, "unsubscribe", NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("reads a plain string as a ring of one key, and refuses a ring whose current key is missing or short", () => {
    expect(parseLinkKeyring(KEY_1)).toEqual({ current: "k1", keys: new Map([["k1", KEY_1]]) });
    expect(() => parseLinkKeyring(JSON.stringify({ current: "k9", k1: KEY_1 }))).toThrow(
      /"current" must name/,
    );
    expect(() => parseLinkKeyring(JSON.stringify({ current: "k1", k1: "short" }))).toThrow(/at least 32/);
    expect(() => parseLinkKeyring("short")).toThrow(/at least 32/);
  });

  it("signs each purpose with its own derived key, so a signature cannot be moved to another purpose", () => {
    const ring = parseLinkKeyring(KEY_1);
    const [keyId, payload] = signToken(ring, claims).split(".");
    const manage = signToken(ring, { ...claims, purpose: "manage" }).split(".")[2];
    // The manage signature over the unsubscribe payload: same root key, different purpose key.
    expect(verifyToken(ring, `${keyId}.${payload}.${manage}`, "unsubscribe", NOW)).toEqual({
      ok: false,
      reason: "forged",
    });
  });

  it("will not sign, nor accept, a confirm link without an expiry", () => {
    const ring = parseLinkKeyring(KEY_1);
    expect(() => signToken(ring, { ...claims, purpose: "confirm" })).toThrow(/needs an expiry/);
    const confirm = signToken(ring, { ...claims, purpose: "confirm", expiresAt: NOW + 60 });
    expect(verifyToken(ring, confirm, "confirm", NOW).ok).toBe(true);
    expect(verifyToken(ring, confirm, "confirm", NOW + 61)).toEqual({ ok: false, reason: "expired" });
  });
});

describe("pseudonyms", () => {
  const keys = { pseudonyms: "pseudonym-key-0123456789abcdef0123456789" };

  it("give an address the same id whatever its case, and one nobody can compute from the address alone", () => {
    const id = subscriberIdFor(keys, "Nino@Example.org");
    expect(subscriberIdFor(keys, " nino@example.org ")).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).not.toBe(createHash("sha256").update("nino@example.org").digest("hex").slice(0, 32));
    expect(
      subscriberIdFor({ pseudonyms: "another-key-0123456789abcdef0123456789" }, "nino@example.org"),
    ).not.toBe(id);
  });

  it("hash an IP with a key of its own, never the subscriber-id key", () => {
    expect(pseudonym(keys, "ip-hash", "203.0.113.7")).not.toBe(
      pseudonym(keys, "subscriber-id", "203.0.113.7"),
    );
  });
});
