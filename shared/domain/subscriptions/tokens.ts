import { createHmac, timingSafeEqual } from "node:crypto";
import { deriveKey, KEY_ID_PATTERN, type LinkKeyring } from "./keys";

/** What a signed link lets its holder do. */
export type TokenPurpose = "confirm" | "unsubscribe" | "manage";
const PURPOSES: readonly TokenPurpose[] = ["confirm", "unsubscribe", "manage"];

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: string;
  /** The subscriber's link version when it was signed: unsubscribing raises it, revoking older links. */
  version: number;
  /** Epoch seconds. Required for confirm links; absent for links that must keep working in old mails. */
  expiresAt?: number;
}

const sign = (root: string, purpose: TokenPurpose, signed: string): Buffer =>
  createHmac("sha256", deriveKey(root, `link:${purpose}`))
    .update(signed)
    .digest();

/**
 * `<key id>.<payload>.<signature>`, payload and signature base64url: URL-safe, so it goes into
 * links and headers unescaped. The key id picks the ring's key that verifies it.
 */
export const signToken = (keyring: LinkKeyring, claims: TokenClaims): string => {
  if (claims.purpose === "confirm" && claims.expiresAt === undefined) {
    throw new Error("A confirm link needs an expiry");
  }
  const payload = Buffer.from(
    JSON.stringify({
      p: claims.purpose,
      s: claims.subscriberId,
      v: claims.version,
      ...(claims.expiresAt !== undefined ? { e: claims.expiresAt } : {}),
    }),
  ).toString("base64url");
  const signed = `${keyring.current}.${payload}`;
  const root = keyring.keys.get(keyring.current) as string;
  return `${signed}.${sign(root, claims.purpose, signed).toString("base64url")}`;
};

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "forged" | "expired" | "wrong-purpose" };

/** Verifies key, signature (in constant time), purpose and expiry; a confirm link without an expiry is refused. */
export const verifyToken = (
  keyring: LinkKeyring,
  token: string,
  purpose: TokenPurpose,
  nowSeconds: number,
): TokenCheck => {
  const [keyId, payload, signature, extra] = token.split(".");
  if (!keyId || !payload || !signature || extra !== undefined || !/^[\w-]+$/.test(payload + signature)) {
    return { ok: false, reason: "malformed" };
  }
  if (!KEY_ID_PATTERN.test(keyId)) return { ok: false, reason: "malformed" };
  let decoded: { p?: unknown; s?: unknown; v?: unknown; e?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const claimed = PURPOSES.find((known) => known === decoded?.p);
  const root = keyring.keys.get(keyId);
  // An unknown key (dropped from the ring, or never ours) is as good as a forged signature.
  if (!claimed || !root) return { ok: false, reason: "forged" };
  const expected = sign(root, claimed, `${keyId}.${payload}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "forged" };
  }
  if (
    typeof decoded.s !== "string" ||
    !Number.isInteger(decoded.v) ||
    (decoded.e !== undefined && typeof decoded.e !== "number")
  ) {
    return { ok: false, reason: "malformed" };
  }
  if (claimed !== purpose) return { ok: false, reason: "wrong-purpose" };
  if (purpose === "confirm" && decoded.e === undefined) return { ok: false, reason: "malformed" };
  if (typeof decoded.e === "number" && decoded.e < nowSeconds) return { ok: false, reason: "expired" };
  return {
    ok: true,
    claims: {
      purpose,
      subscriberId: decoded.s,
      version: decoded.v as number,
      ...(typeof decoded.e === "number" ? { expiresAt: decoded.e } : {}),
    },
  };
};
