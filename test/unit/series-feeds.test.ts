import { describe, expect, it } from "vitest";
import type { Series, StoredEvent } from "../../shared/domain/event";
import { buildFeedDocuments } from "../../shared/render/feeds";
import { components, propertyValue, propertyValues, unescapeText } from "./fixtures/read-calendar";
import { mediaTypeOf, renderFeeds } from "./fixtures/read-feeds";
import { SEED_SERIES, seedEvent, TEST_CONFIG } from "./fixtures/seed-event";

const SEED = SEED_SERIES.id;
const SEED_NAME_EN = "ICT innovation networking events";
const SEED_NAME_KA = SEED_SERIES.translations.ka?.name;

/** A second series, named in English only and without a description. */
const POLICY: Series = {
  id: "digital-policy",
  translations: { en: { name: "Digital policy talks" } },
  updatedAt: "2020-10-01T08:00:00.000Z",
};
const BOTH_SERIES = [SEED_SERIES, POLICY];

/** An event of a series, published at `publishedAt`, translated into the given languages only. */
const eventIn = (id: string, series: string, languages: string[], publishedAt: string): StoredEvent =>
  seedEvent({
    id,
    slug: `event-${id}`,
    series,
    publishedAt,
    updatedAt: publishedAt,
    translations: Object.fromEntries(
      languages.map((language) => [language, { title: `${id} in ${language}` }]),
    ),
  });

/** Two seed-series events and one policy event, English and Georgian unless said otherwise. */
const programme = (): StoredEvent[] => [
  eventIn("seed-new", SEED, ["en", "ka"], "2021-03-01T00:00:00.000Z"),
  eventIn("policy", POLICY.id, ["en", "ka"], "2021-02-01T00:00:00.000Z"),
  eventIn("seed-old", SEED, ["en"], "2021-01-01T00:00:00.000Z"),
];

const FILES = ["feed.xml", "feed.json", "events.ics"];
const LANGUAGES = TEST_CONFIG.languages;

/** Every key of a family of feeds: the default-language files in `folder`, then each language's. */
const familyKeys = (folder: string): string[] => [
  ...FILES.map((file) => `${folder}${file}`),
  ...LANGUAGES.flatMap((language) => FILES.map((file) => `${language}/${folder}${file}`)),
];

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe("the series feeds", () => {
  it("exist for every series in the default language and every supported language, in all three formats", () => {
    const feeds = renderFeeds(programme(), { series: BOTH_SERIES });
    expect(feeds.keys).toEqual([
      ...familyKeys(""),
      ...familyKeys(`series/${SEED}/`),
      ...familyKeys(`series/${POLICY.id}/`),
    ]);
    for (const key of feeds.keys) expect(feeds.contentType(key)).toBe(mediaTypeOf(key));
  });

  it("hold only their own series' events, newest first, in every format", () => {
    const feeds = renderFeeds(programme(), { series: BOTH_SERIES });
    expect(ids(feeds.json(`series/${SEED}/feed.json`).items)).toEqual(["seed-new", "seed-old"]);
    expect(ids(feeds.json(`series/${POLICY.id}/feed.json`).items)).toEqual(["policy"]);
    expect(feeds.rss(`series/${SEED}/feed.xml`).item?.map((item) => item.guid["#text"])).toEqual([
      "seed-new",
      "seed-old",
    ]);
    expect(propertyValues(feeds.raw(`series/${POLICY.id}/events.ics`), "UID")).toEqual(["policy@eventcast"]);
  });

  it("hold in a language's series feed only the series' events translated into that language", () => {
    const feeds = renderFeeds(programme(), { series: BOTH_SERIES });
    expect(ids(feeds.json(`ka/series/${SEED}/feed.json`).items)).toEqual(["seed-new"]);
    expect(feeds.json(`ka/series/${SEED}/feed.json`).items[0]?.title).toBe("seed-new in ka");
    expect(ids(feeds.json(`en/series/${SEED}/feed.json`).items)).toEqual(["seed-new", "seed-old"]);
    expect(propertyValues(feeds.raw(`ka/series/${SEED}/events.ics`), "SUMMARY")).toEqual(["seed-new in ka"]);
  });

  it("show an event without the default language in the default series feed in the first configured language it has", () => {
    const georgianOnly = eventIn("ka-only", SEED, ["ka"], "2021-01-02T00:00:00.000Z");
    const feeds = renderFeeds([georgianOnly]);
    const [item] = feeds.json(`series/${SEED}/feed.json`).items;
    expect(item).toMatchObject({
      title: "ka-only in ka",
      language: "ka",
      url: "https://www.example.org/ka/events/event-ka-only",
    });
    expect(feeds.rss(`series/${SEED}/feed.xml`).item?.[0]?.["dc:language"]).toBe("ka");
    expect(propertyValue(feeds.raw(`series/${SEED}/events.ics`), "SUMMARY")).toBe("ka-only in ka");
  });

  it("are titled with the series name in the feed's language and described by its description", () => {
    const feeds = renderFeeds(programme());
    const georgian = feeds.rss(`ka/series/${SEED}/feed.xml`);
    expect(georgian.title).toBe(SEED_NAME_KA);
    expect(georgian.description).toBe(SEED_SERIES.translations.ka?.description);
    expect(feeds.json(`series/${SEED}/feed.json`)).toMatchObject({
      title: SEED_NAME_EN,
      description: SEED_SERIES.translations.en?.description,
    });
    const calendar = feeds.raw(`ka/series/${SEED}/events.ics`);
    expect(unescapeText(propertyValue(calendar, "X-WR-CALNAME") ?? "")).toBe(SEED_NAME_KA);
  });

  it("fall back to the default language's name, then any, and to the configured description", () => {
    const georgianSeries: Series = { ...POLICY, translations: { ka: { name: "ციფრული პოლიტიკა" } } };
    const feeds = renderFeeds(programme(), { series: [SEED_SERIES, georgianSeries] });
    expect(feeds.json(`az/series/${SEED}/feed.json`).title).toBe(SEED_NAME_EN);
    expect(feeds.json(`series/${POLICY.id}/feed.json`)).toMatchObject({
      title: "ციფრული პოლიტიკა",
      description: TEST_CONFIG.feedDescription,
    });
    expect(feeds.rss(`uk/series/${POLICY.id}/feed.xml`).title).toBe("ციფრული პოლიტიკა");
  });

  it("link to themselves at the URL their key is served at, and home to the site", () => {
    const feeds = renderFeeds(programme(), { series: BOTH_SERIES });
    const served = (key: string) => `${TEST_CONFIG.publicUrl}/${key}`;
    for (const key of feeds.keys.filter((key) => key.includes("series/"))) {
      if (key.endsWith(".xml")) {
        const channel = feeds.rss(key);
        expect(channel["atom:link"]).toMatchObject({ "@_href": served(key), "@_rel": "self" });
        expect(channel.link).toBe(TEST_CONFIG.siteUrl);
      } else if (key.endsWith(".json")) {
        expect(feeds.json(key)).toMatchObject({ feed_url: served(key), home_page_url: TEST_CONFIG.siteUrl });
      } else {
        expect(propertyValue(feeds.raw(key), "SOURCE")).toBe(served(key));
      }
    }
  });

  it("are valid and empty for a series without events, and keep their bytes from one render to the next", () => {
    const seedOnly = programme().filter((event) => event.series === SEED);
    const feeds = renderFeeds(seedOnly, { series: BOTH_SERIES });
    const later = renderFeeds(seedOnly, { series: BOTH_SERIES, now: new Date("2027-05-01T00:00:00Z") });
    const channel = feeds.rss(`ka/series/${POLICY.id}/feed.xml`);
    expect(channel.item).toBeUndefined();
    expect(channel.title).toBe("Digital policy talks");
    expect(feeds.json(`hy/series/${POLICY.id}/feed.json`).items).toEqual([]);
    const calendar = feeds.raw(`hy/series/${POLICY.id}/events.ics`);
    expect(calendar).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
    expect(components(calendar, "VEVENT")).toEqual([]);
    expect(feeds.json(`series/${POLICY.id}/feed.json`).items).toEqual([]);
    for (const key of feeds.keys.filter((key) => key.includes(`series/${POLICY.id}/`))) {
      expect(later.raw(key)).toBe(feeds.raw(key));
    }
  });

  it("are written only for series that exist; an event of an unknown series stays in the programme's feeds", () => {
    const orphan = eventIn("orphan", "no-such-series", ["en"], "2021-04-01T00:00:00.000Z");
    const feeds = renderFeeds([orphan, ...programme()]);
    expect(feeds.keys.filter((key) => key.includes("no-such-series"))).toEqual([]);
    expect(feeds.keys.filter((key) => key.includes(`series/${POLICY.id}/`))).toEqual([]);
    expect(ids(feeds.json().items)).toContain("orphan");
    expect(ids(feeds.json(`series/${SEED}/feed.json`).items)).not.toContain("orphan");
  });

  it("show &, <, ]]> and markup in a series name and description as the editor's literal text in every format", () => {
    const name = `Tom & Jerry <b>talks</b> ]]> "quoted"; a, b \\ c`;
    const description = `<script>alert(1)</script> & ]]> more`;
    const hostile: Series = { ...POLICY, translations: { en: { name, description } } };
    const feeds = renderFeeds([eventIn("policy", POLICY.id, ["en"], "2021-02-01T00:00:00.000Z")], {
      series: [hostile],
    });
    for (const folder of [`series/${POLICY.id}/`, `ka/series/${POLICY.id}/`]) {
      const channel = feeds.rss(`${folder}feed.xml`);
      expect(channel.title).toBe(name);
      expect(channel.description).toBe(description);
      expect(feeds.json(`${folder}feed.json`)).toMatchObject({ title: name, description });
      const calendar = feeds.raw(`${folder}events.ics`);
      expect(unescapeText(propertyValue(calendar, "X-WR-CALNAME") ?? "")).toBe(name);
      expect(unescapeText(propertyValue(calendar, "X-WR-CALDESC") ?? "")).toBe(description);
    }
    expect(feeds.raw(`series/${POLICY.id}/feed.xml`)).toContain("]]]]><![CDATA[>");
  });

  it("share each event's rendered item with the programme's feeds rather than render it again", () => {
    const planned = buildFeedDocuments({
      events: programme(),
      series: BOTH_SERIES,
      config: TEST_CONFIG,
      now: new Date("2026-11-30T12:00:00Z"),
    });
    const itemsIn = (folder: string) => planned.find((feed) => feed.folder === folder)?.document.items ?? [];
    const [seedNew] = itemsIn(`ka/series/${SEED}/`);
    expect(seedNew).toBeDefined();
    expect(itemsIn("ka/")).toContain(seedNew);
  });
});
