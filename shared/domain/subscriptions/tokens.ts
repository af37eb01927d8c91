import { createHmac, timingSafeEqual } from "node:crypto";

/** What a signed link lets its holder do. */
export type TokenPurpose = "confirm" | "unsubscribe" | "manage";

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: string;
  /** Epoch seconds; absent for links that must keep working in old mails (unsubscribe, manage). */
  expiresAt?: number;
}

const sign = (secret: string, payload: string): Buffer =>
  createHmac("sha256", secret).update(payload).digest();

/** `<payload>.<signature>`, both base64url: URL-safe, so it goes into links and headers unescaped. */
export const signToken = (secret: string, claims: TokenClaims): string => {
  const payload = Buffer.from(
    JSON.stringify({
      p: claims.purpose,
      s: claims.subscriberId,
      ...(claims.expiresAt ? { e: claims.expiresAt } : {}),
    }),
  ).toString("base64url");
  return `${payload}.${sign(secret, payload).toString("base64url")}`;
};

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "forged" | "expired" | "wrong-purpose" };

/** Verifies signature (in constant time), purpose and expiry. */
export const verifyToken = (
  secret: string,
  token: string,
  purpose: TokenPurpose,
  nowSeconds: number,
): TokenCheck => {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !/^[\w-]+$/.test(payload + signature)) {
    return { ok: false, reason: "malformed" };
  }
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "forged" };
  let decoded: { p?: unknown; s?: unknown; e?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof decoded.s !== "string" || (decoded.e !== undefined && typeof decoded.e !== "number")) {
    return { ok: false, reason: "malformed" };
  }
  if (decoded.p !== purpose) return { ok: false, reason: "wrong-purpose" };
  if (typeof decoded.e === "number" && decoded.e < nowSeconds) return { ok: false, reason: "expired" };
  return {
    ok: true,
    claims: {
      purpose,
      subscriberId: decoded.s,
      ...(typeof decoded.e === "number" ? { expiresAt: decoded.e } : {}),
    },
  };
};
