import { describe, expect, it } from "vitest";
import { loadLinkKeyring, loadPseudonymKey } from "../../shared/adapters/secrets";
import { parseConfig, textIn } from "../../shared/config";

const minimal = {
  TABLE_NAME: "eventcast",
  FEED_BUCKET: "eventcast-feeds",
  PUBLIC_URL: "https://events.example.org/",
  SENDER_ADDRESS: "Events <events@example.org>",
  POSTAL_ADDRESS: "1 Example Street, Brussels",
};

describe("the configuration every function reads at cold start", () => {
  it("fills in the defaults and trims a trailing slash from URLs", () => {
    const config = parseConfig(minimal);
    expect(config).toMatchObject({
      publicUrl: "https://events.example.org",
      siteUrl: "https://events.example.org",
      publishesSite: true,
      languages: ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"],
      defaultLanguage: "en",
      subscribeRequestsPerHour: 5,
    });
    expect(config.feedMaxItems).toBe(50);
  });

  it("publishes no pages of its own when SITE_URL names the organisation's own site", () => {
    expect(parseConfig({ ...minimal, SITE_URL: "https://www.example.org/" })).toMatchObject({
      siteUrl: "https://www.example.org",
      publishesSite: false,
    });
    expect(parseConfig({ ...minimal, SITE_URL: "https://events.example.org" }).publishesSite).toBe(true);
  });

  it("reads lists and numbers from their text", () => {
    const config = parseConfig({
      ...minimal,
      LANGUAGES: " en, ka ,ru",
      FEED_MAX_ITEMS: "100",
      SUBSCRIBE_REQUESTS_PER_HOUR: "8",
    });
    expect(config).toMatchObject({
      languages: ["en", "ka", "ru"],
      feedMaxItems: 100,
      subscribeRequestsPerHour: 8,
    });
  });

  it.each([
    ["a missing table name", { TABLE_NAME: undefined }, "TABLE_NAME"],
    [
      "a public URL that is not http(s)",
      { PUBLIC_URL: "ftp://events.example.org" },
      "PUBLIC_URL: must be an http(s) URL",
    ],
    [
      "a default language outside the list",
      { LANGUAGES: "ka,ru" },
      "DEFAULT_LANGUAGE: must be one of LANGUAGES",
    ],
    ["a link key that is too short", { LINK_KEYS: "short" }, "LINK_KEYS: must be at least 32 characters"],
    ["a pseudonym key ARN that is not an ARN", { PSEUDONYM_KEY_ARN: "key" }, "PSEUDONYM_KEY_ARN"],
    ["a rate limit of zero", { SUBSCRIBE_REQUESTS_PER_HOUR: "0" }, "SUBSCRIBE_REQUESTS_PER_HOUR"],
    ["a cap that is not a whole number", { FEED_MAX_ITEMS: "ten" }, "FEED_MAX_ITEMS"],
  ])("refuses %s, naming the variable", (_case, change, message) => {
    expect(() => parseConfig({ ...minimal, ...change })).toThrow(message);
  });
});

describe("the programme's title and description (FEED_TITLE, FEED_DESCRIPTION)", () => {
  it("are left to each language's own words when unset", () => {
    expect(parseConfig(minimal)).toMatchObject({ feedTitle: undefined, feedDescription: undefined });
  });

  it("take a plain text as the same in every language", () => {
    const config = parseConfig({
      ...minimal,
      FEED_TITLE: "EU4Digital",
      FEED_DESCRIPTION: "Events, {all} of them",
    });
    expect(config.feedTitle).toBe("EU4Digital");
    expect(config.feedDescription).toBe("Events, {all} of them");
    expect(textIn(config.feedTitle, "ka", config.defaultLanguage)).toBe("EU4Digital");
  });

  it("take a JSON object by language, a language it leaves out reading the default language's text", () => {
    const config = parseConfig({
      ...minimal,
      FEED_TITLE: ' {"en": "EU4Digital events", "ka": "EU4Digital-ის ღონისძიებები"}',
    });
    expect(config.feedTitle).toEqual({ en: "EU4Digital events", ka: "EU4Digital-ის ღონისძიებები" });
    expect(textIn(config.feedTitle, "ka", config.defaultLanguage)).toBe("EU4Digital-ის ღონისძიებები");
    expect(textIn(config.feedTitle, "ru", config.defaultLanguage)).toBe("EU4Digital events");
    const georgianFirst = parseConfig({
      ...minimal,
      DEFAULT_LANGUAGE: "ka",
      FEED_DESCRIPTION: '{"ka":"ქსელი"}',
    });
    expect(textIn(georgianFirst.feedDescription, "en", georgianFirst.defaultLanguage)).toBe("ქსელი");
  });

  it.each([
    ["text that is not JSON", { FEED_TITLE: '{"en": "Events"' }, "FEED_TITLE: is not valid JSON"],
    ["a value that is not a text", { FEED_TITLE: '{"en": 5}' }, "FEED_TITLE.en: must be a text"],
    ["an empty value", { FEED_DESCRIPTION: '{"en": " "}' }, "FEED_DESCRIPTION.en: must be a text"],
    [
      "a language that is not configured",
      { FEED_TITLE: '{"en": "Events", "pt": "Eventos"}' },
      "FEED_TITLE.pt: is not a configured language (en, ka, hy, az, be, ro, ru, uk)",
    ],
    [
      "no text for the default language",
      { FEED_DESCRIPTION: '{"ka": "ღონისძიებები"}' },
      "FEED_DESCRIPTION: must give the default language's (en) text",
    ],
  ])("refuse %s, naming the variable", (_case, change, message) => {
    expect(() => parseConfig({ ...minimal, ...change })).toThrow(message);
  });
});

describe("the keys a function needs", () => {
  it("are required only where they are loaded, and then named", async () => {
    const config = parseConfig(minimal);
    await expect(loadLinkKeyring(config)).rejects.toThrow("LINK_KEYS or LINK_KEYS_ARN is required here");
    await expect(loadPseudonymKey(config)).rejects.toThrow(
      "PSEUDONYM_KEY or PSEUDONYM_KEY_ARN is required here",
    );
  });

  it("are read from the configuration as a keyring and a plain key", async () => {
    const config = parseConfig({
      ...minimal,
      LINK_KEYS: JSON.stringify({ current: "k2", k1: "a".repeat(32), k2: "b".repeat(32) }),
      PSEUDONYM_KEY: "c".repeat(40),
    });
    expect(await loadLinkKeyring(config)).toEqual({
      current: "k2",
      keys: new Map([
        ["k1", "a".repeat(32)],
        ["k2", "b".repeat(32)],
      ]),
    });
    expect(await loadPseudonymKey(config)).toBe("c".repeat(40));
  });
});
