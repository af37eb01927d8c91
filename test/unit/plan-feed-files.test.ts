import { describe, expect, it } from "vitest";
import { mediaTypeOf, renderFeeds } from "./fixtures/read-feeds";
import {
  eventIn,
  SEED_EVENT,
  SEED_SERIES,
  SEED_TITLE_EN,
  SEED_TITLE_KA,
  seedEvent,
  TEST_CONFIG,
} from "./fixtures/seed-event";

const LANGUAGES = TEST_CONFIG.languages;

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe("planFeedFiles", () => {
  it("writes feed.xml, feed.json and events.ics at the root and for every supported language, with their media types", () => {
    // Without series, so that these are all the files; series feeds are in series-feeds.test.ts.
    const feeds = renderFeeds([SEED_EVENT], { series: [] });
    const files = ["feed.xml", "feed.json", "events.ics"];
    expect(feeds.keys).toEqual([
      ...files,
      ...LANGUAGES.flatMap((language) => files.map((file) => `${language}/${file}`)),
    ]);
    for (const key of feeds.keys) expect(feeds.contentType(key)).toBe(mediaTypeOf(key));
  });

  it("lists every public event in the default feed, in the default language when it has it", () => {
    const [item] = renderFeeds([SEED_EVENT]).json().items;
    expect(item).toMatchObject({
      title: SEED_TITLE_EN,
      language: "en",
      url: "https://www.example.org/en/events/ict-innovation-networking-3",
    });
  });

  it("shows an event without the default language in the default feed in the first configured language it has", () => {
    const georgianOnly = eventIn("ka-only", ["ka"], "2021-01-02T00:00:00.000Z");
    const eastSlavic = eventIn("uk-ru", ["uk", "ru"], "2021-01-01T00:00:00.000Z");
    const items = renderFeeds([georgianOnly, eastSlavic]).json().items;
    expect(items.map(({ title, language, url }) => ({ title, language, url }))).toEqual([
      { title: "ka-only in ka", language: "ka", url: "https://www.example.org/ka/events/event-ka-only" },
      { title: "uk-ru in ru", language: "ru", url: "https://www.example.org/ru/events/event-uk-ru" },
    ]);
    expect(renderFeeds([georgianOnly]).rss().item?.[0]).toMatchObject({
      title: "ka-only in ka",
      "dc:language": "ka",
    });
  });

  it("lists in a language feed only the events translated into that language", () => {
    const both = eventIn("both", ["en", "ka"], "2021-01-02T00:00:00.000Z");
    const english = eventIn("english", ["en"], "2021-01-01T00:00:00.000Z");
    const feeds = renderFeeds([both, english]);
    expect(ids(feeds.json("ka/feed.json").items)).toEqual(["both"]);
    expect(ids(feeds.json("en/feed.json").items)).toEqual(["both", "english"]);
    expect(feeds.rss("ka/feed.xml").item?.map((item) => item.title)).toEqual(["both in ka"]);
  });

  it("still writes a valid, empty feed for a language no event has yet", () => {
    const feeds = renderFeeds([SEED_EVENT]);
    expect(feeds.json("az/feed.json").items).toEqual([]);
    expect(feeds.rss("az/feed.xml").item).toBeUndefined();
    expect(feeds.rss("az/feed.xml")["atom:link"]["@_href"]).toBe("https://feeds.example.org/az/feed.xml");
  });

  it("never lists drafts, nor a cancellation that was never published", () => {
    const published = eventIn("published", ["en", "ka"], "2021-01-01T00:00:00.000Z");
    const draft = eventIn("draft", ["en", "ka"], "2021-01-02T00:00:00.000Z", {
      status: "draft",
      publishedAt: undefined,
    });
    const neverShown = eventIn("never-shown", ["en"], "2021-01-03T00:00:00.000Z", {
      status: "cancelled",
      publishedAt: undefined,
    });
    const feeds = renderFeeds([published, draft, neverShown]);
    for (const key of feeds.keys.filter((key) => key.endsWith(".json"))) {
      expect(ids(feeds.json(key).items).filter((id) => id !== "published")).toEqual([]);
    }
    expect(feeds.raw("feed.xml")).not.toContain("draft in en");
  });

  it("keeps a cancelled event that had been published, marked as cancelled", () => {
    const cancelled = seedEvent({ status: "cancelled", cancelledAt: "2020-12-10T10:00:00.000Z" });
    const feeds = renderFeeds([cancelled]);
    expect(feeds.json().items[0]?.title).toBe(`Cancelled: ${SEED_TITLE_EN}`);
    expect(feeds.json("ka/feed.json").items[0]?.title).toBe(`გაუქმებულია: ${SEED_TITLE_KA}`);
  });

  it("lists the newest announcement first, whatever order the events come in", () => {
    const events = [
      eventIn("b", ["en"], "2021-02-01T00:00:00.000Z"),
      eventIn("c", ["en"], "2021-03-01T00:00:00.000Z"),
      eventIn("a", ["en"], "2021-01-01T00:00:00.000Z"),
    ];
    const feeds = renderFeeds(events);
    expect(ids(feeds.json().items)).toEqual(["c", "b", "a"]);
    expect(feeds.rss().item?.map((item) => item.guid["#text"])).toEqual(["c", "b", "a"]);
  });

  it("links feeds under PUBLIC_URL and items under SITE_URL in the item's language", () => {
    const feeds = renderFeeds([SEED_EVENT]);
    expect(feeds.json("uk/feed.json").feed_url).toBe("https://feeds.example.org/uk/feed.json");
    expect(feeds.json().feed_url).toBe("https://feeds.example.org/feed.json");
    expect(feeds.json("uk/feed.json").home_page_url).toBe("https://www.example.org");
    expect(feeds.rss("ka/feed.xml").item?.[0]?.link).toBe(
      "https://www.example.org/ka/events/ict-innovation-networking-3",
    );
  });

  it("titles the default feed with the configured title and each language feed with the language's own name", () => {
    const feeds = renderFeeds([SEED_EVENT]);
    expect(feeds.rss().title).toBe("EU4Digital events");
    expect(feeds.rss("be/feed.xml").title).toBe("EU4Digital events — Беларуская");
    expect(feeds.json("az/feed.json").title).toBe("EU4Digital events — Azərbaycan dili");
  });

  it("uses the configured default language for the root feed", () => {
    const feeds = renderFeeds([SEED_EVENT], {
      config: { ...TEST_CONFIG, defaultLanguage: "ka" },
    });
    expect(feeds.rss().language).toBe("ka");
    expect(feeds.rss().item?.[0]?.title).toBe(SEED_TITLE_KA);
  });

  it("names an item's series in the configured default language when the series lacks the feed's", () => {
    const series = {
      ...SEED_SERIES,
      translations: { ka: { name: "ქსელური ღონისძიებები" }, en: { name: "Networking" } },
    };
    const feeds = renderFeeds([eventIn("r1", ["ru"], "2020-12-01T09:00:00.000Z")], {
      series: [series],
      config: { ...TEST_CONFIG, defaultLanguage: "ka" },
    });
    expect(feeds.json("ru/feed.json").items[0]?.tags).toContain("ქსელური ღონისძიებები");
  });
});
