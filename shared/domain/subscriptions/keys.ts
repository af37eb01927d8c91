import { createHmac, createSecretKey, hkdfSync, type KeyObject } from "node:crypto";

/**
 * The keys behind subscribers' links and pseudonyms. Two roots, for two lifetimes:
 * - link keys sign confirm / manage / unsubscribe links. They form a keyring: `current` signs,
 *   every key in the ring still verifies, so a key can rotate while links in mails already sent
 *   keep working until the old key is dropped from the ring;
 * - the pseudonym key turns an address into a subscriber id and a client address into a consent
 *   hash. It never rotates: a new key would give every address a new id.
 * Each use gets its own key, derived with HKDF, so no key ever does two jobs.
 */
export interface LinkKeyring {
  /** The id of the key that signs new links. */
  current: string;
  /** Root keys by id. */
  keys: ReadonlyMap<string, string>;
}

export interface SubscriberKeys {
  links: LinkKeyring;
  /** Root of subscriber ids and IP hashes. */
  pseudonyms: string;
}

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
/** A root key's least length: 32 characters of a random string (the stack generates 64). */
export const MIN_ROOT_KEY_LENGTH = 32;

const derived = new Map<string, KeyObject>();

/**
 * HKDF-SHA256 of a root key for one use (`info`), computed once per process; a KeyObject, because
 * an HMAC keyed with one is several times cheaper than with a Buffer (two links per mail).
 */
export const deriveKey = (root: string, info: string): KeyObject => {
  const cacheKey = `${info}\u0000${root}`;
  let key = derived.get(cacheKey);
  if (!key) {
    key = createSecretKey(Buffer.from(hkdfSync("sha256", root, "eventcast", info, 32)));
    derived.set(cacheKey, key);
  }
  return key;
};

const checkRoot = (id: string, value: unknown): string => {
  if (typeof value !== "string" || value.length < MIN_ROOT_KEY_LENGTH) {
    throw new Error(`Link key "${id}" must be a string of at least ${MIN_ROOT_KEY_LENGTH} characters`);
  }
  return value;
};

/**
 * Reads a keyring: `{"current": "k2", "k1": "…", "k2": "…"}` (every property but `current` is a
 * key id), or a single key as a plain string, which is then key `k1`.
 */
export const parseLinkKeyring = (secret: string): LinkKeyring => {
  const text = secret.trim();
  if (!text.startsWith("{")) return { current: "k1", keys: new Map([["k1", checkRoot("k1", text)]]) };
  const { current, ...keys } = JSON.parse(text) as Record<string, unknown>;
  const ring = new Map<string, string>();
  for (const [id, value] of Object.entries(keys)) {
    if (!KEY_ID_PATTERN.test(id)) throw new Error(`Link key id "${id}" must match ${KEY_ID_PATTERN}`);
    ring.set(id, checkRoot(id, value));
  }
  if (typeof current !== "string" || !ring.has(current)) {
    throw new Error(
      `The link keyring's "current" must name one of its keys (${[...ring.keys()].join(", ")})`,
    );
  }
  return { current, keys: ring };
};

export const parsePseudonymKey = (secret: string): string => checkRoot("pseudonym", secret.trim());

/** A keyed hash: without the key, nobody can test a guessed address (or IP) against it offline. */
export const pseudonym = (
  keys: Pick<SubscriberKeys, "pseudonyms">,
  use: "subscriber-id" | "ip-hash",
  value: string,
) => createHmac("sha256", deriveKey(keys.pseudonyms, use)).update(value).digest("hex");
