import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config";

const minimal = {
  TABLE_NAME: "eventcast",
  FEED_BUCKET: "eventcast-feeds",
  PUBLIC_URL: "https://events.example.org/",
  TOKEN_SECRET: "a-secret-that-is-at-least-32-characters",
  SENDER_ADDRESS: "Events <events@example.org>",
  POSTAL_ADDRESS: "1 Example Street, Brussels",
};

describe("the configuration every function reads at cold start", () => {
  it("fills in the defaults and trims a trailing slash from URLs", () => {
    const config = parseConfig(minimal);
    expect(config).toMatchObject({
      publicUrl: "https://events.example.org",
      siteUrl: "https://events.example.org",
      languages: ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"],
      defaultLanguage: "en",
      subscribeRequestsPerHour: 5,
      sendConcurrency: 4,
    });
    expect(config.feedMaxItems).toBeUndefined();
  });

  it("reads lists and numbers from their text", () => {
    const config = parseConfig({
      ...minimal,
      LANGUAGES: " en, ka ,ru",
      FEED_MAX_ITEMS: "100",
      SEND_CONCURRENCY: "8",
    });
    expect(config).toMatchObject({ languages: ["en", "ka", "ru"], feedMaxItems: 100, sendConcurrency: 8 });
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
    ["no token secret at all", { TOKEN_SECRET: undefined }, "TOKEN_SECRET or TOKEN_SECRET_ARN is required"],
    ["a send concurrency above 50", { SEND_CONCURRENCY: "51" }, "SEND_CONCURRENCY"],
    ["a cap that is not a whole number", { FEED_MAX_ITEMS: "ten" }, "FEED_MAX_ITEMS"],
  ])("refuses %s, naming the variable", (_case, change, message) => {
    expect(() => parseConfig({ ...minimal, ...change })).toThrow(message);
  });
});
