import { describe, expect, it } from "vitest";
import { type Config, parseConfig } from "../../shared/config";
import { INTERFACE_LANGUAGES, programmeTextIn } from "../../shared/render/i18n";
import { renderEventPage } from "../../shared/render/pages/event-page";
import { renderListingPage } from "../../shared/render/pages/listing-page";
import { siteContextFor } from "../../shared/render/pages/site";
import { confirmPage } from "../../shared/render/pages/subscription-pages";
import { propertyValue, unescapeText } from "./fixtures/read-calendar";
import { renderFeeds } from "./fixtures/read-feeds";
import { SEED_EVENT, SEED_SERIES } from "./fixtures/seed-event";

const ENVIRONMENT = {
  TABLE_NAME: "eventcast",
  FEED_BUCKET: "eventcast-feeds",
  PUBLIC_URL: "https://feeds.example.org",
  SITE_URL: "https://feeds.example.org",
  SENDER_ADDRESS: "Events <events@example.org>",
  POSTAL_ADDRESS: "1 Example Street, Brussels",
};

/** The configuration the functions would read from these FEED_TITLE / FEED_DESCRIPTION values. */
const configured = (texts: { FEED_TITLE?: string; FEED_DESCRIPTION?: string }): Config =>
  parseConfig({ ...ENVIRONMENT, ...texts });

const BY_LANGUAGE = {
  FEED_TITLE: JSON.stringify({ en: "EU4Digital events", ka: "EU4Digital-ის ღონისძიებები" }),
  FEED_DESCRIPTION: JSON.stringify({ en: "Networking events", ka: "ქსელური ღონისძიებები" }),
};

const titleOf = (html: string) => html.match(/<title>([^<]*)<\/title>/)?.[1];
const homePage = (config: Config, language: string) =>
  renderListingPage({
    site: siteContextFor(config),
    language,
    kind: "upcoming",
    page: 1,
    pageCount: 1,
    events: [],
    series: [],
  });

describe("the programme's title and description, in the reader's language", () => {
  it("name the Georgian feeds and calendar in Georgian and the English ones in English", () => {
    const feeds = renderFeeds([SEED_EVENT], { config: configured(BY_LANGUAGE) });
    expect(feeds.rss("ka/feed.xml")).toMatchObject({
      title: "EU4Digital-ის ღონისძიებები — ქართული",
      description: "ქსელური ღონისძიებები",
    });
    expect(feeds.json("ka/feed.json")).toMatchObject({
      title: "EU4Digital-ის ღონისძიებები — ქართული",
      description: "ქსელური ღონისძიებები",
    });
    expect(propertyValue(feeds.raw("ka/events.ics"), "X-WR-CALNAME")).toBe(
      "EU4Digital-ის ღონისძიებები — ქართული",
    );
    expect(propertyValue(feeds.raw("ka/events.ics"), "X-WR-CALDESC")).toBe("ქსელური ღონისძიებები");
    expect(feeds.rss("en/feed.xml")).toMatchObject({
      title: "EU4Digital events — English",
      description: "Networking events",
    });
    expect(feeds.rss()).toMatchObject({ title: "EU4Digital events", description: "Networking events" });
    expect(propertyValue(feeds.raw("events.ics"), "X-WR-CALNAME")).toBe("EU4Digital events");
  });

  it("give a language the object leaves out the default language's text", () => {
    const feeds = renderFeeds([SEED_EVENT], { config: configured(BY_LANGUAGE) });
    expect(feeds.rss("ru/feed.xml")).toMatchObject({
      title: "EU4Digital events — Русский",
      description: "Networking events",
    });
    expect(titleOf(homePage(configured(BY_LANGUAGE), "ru"))).toBe("EU4Digital events");
  });

  it("keep a plain text the same in every language", () => {
    const config = configured({ FEED_TITLE: "EU4Digital", FEED_DESCRIPTION: "EaP digital programme" });
    const feeds = renderFeeds([SEED_EVENT], { config });
    expect(feeds.rss("ka/feed.xml").title).toBe("EU4Digital — ქართული");
    expect(feeds.json("uk/feed.json").description).toBe("EaP digital programme");
    expect(titleOf(homePage(config, "ka"))).toBe("EU4Digital");
  });

  it("are each language's own words for 'Events' when none is configured", () => {
    const config = configured({});
    const feeds = renderFeeds([SEED_EVENT], { config });
    expect(feeds.rss()).toMatchObject({ title: "Events", description: "Upcoming and past events" });
    expect(feeds.rss("ka/feed.xml")).toMatchObject({
      title: "ღონისძიებები — ქართული",
      description: "მომავალი და წარსული ღონისძიებები",
    });
    expect(feeds.json("uk/feed.json")).toMatchObject({
      title: "Заходи — Українська",
      description: "Майбутні та минулі заходи",
    });
    expect(titleOf(homePage(config, "ru"))).toBe("Мероприятия");
    const titles = INTERFACE_LANGUAGES.map((language) => programmeTextIn(config, language).title);
    expect(new Set(titles).size).toBe(INTERFACE_LANGUAGES.length);
  });

  it("head the Georgian home page, every page's <title> and the subscription pages in Georgian", () => {
    const config = configured(BY_LANGUAGE);
    const site = siteContextFor(config);
    const home = homePage(config, "ka");
    expect(titleOf(home)).toBe("EU4Digital-ის ღონისძიებები");
    expect(home).toContain(
      '<a class="site-title" href="https://feeds.example.org/ka/">EU4Digital-ის ღონისძიებები</a>',
    );
    expect(home).toContain("<h1>EU4Digital-ის ღონისძიებები</h1><p>ქსელური ღონისძიებები</p>");
    expect(home).toContain('<meta name="description" content="ქსელური ღონისძიებები"/>');
    expect(home).toContain('<meta property="og:site_name" content="EU4Digital-ის ღონისძიებები"/>');

    const event = renderEventPage({
      site,
      event: SEED_EVENT,
      series: SEED_SERIES,
      language: "ka",
      now: new Date(0),
    });
    expect(titleOf(event)).toMatch(/ — EU4Digital-ის ღონისძიებები$/);
    const confirm = confirmPage({
      site,
      language: "ka",
      token: "t",
      actionUrl: "/api/subscriptions/confirm",
    });
    expect(titleOf(confirm)).toMatch(/ — EU4Digital-ის ღონისძიებები$/);
    expect(confirm).toContain(
      '<a class="site-title" href="https://feeds.example.org/ka/">EU4Digital-ის ღონისძიებები</a>',
    );
    expect(titleOf(homePage(config, "en"))).toBe("EU4Digital events");
  });

  it("are escaped in every output when they hold markup", () => {
    const hostile = `Tom & Jerry's <b>"events"</b> ]]>`;
    const config = configured({
      FEED_TITLE: JSON.stringify({ en: "Events", ka: hostile }),
      FEED_DESCRIPTION: JSON.stringify({ en: "Events", ka: hostile }),
    });
    const feeds = renderFeeds([SEED_EVENT], { config });
    expect(feeds.rss("ka/feed.xml")).toMatchObject({ title: `${hostile} — ქართული`, description: hostile });
    expect(feeds.json("ka/feed.json")).toMatchObject({ title: `${hostile} — ქართული`, description: hostile });
    const calendarName = propertyValue(feeds.raw("ka/events.ics"), "X-WR-CALNAME") ?? "";
    expect(unescapeText(calendarName)).toBe(`${hostile} — ქართული`);

    const home = homePage(config, "ka");
    const escaped = "Tom &amp; Jerry's &lt;b>&quot;events&quot;&lt;/b> ]]>";
    expect(home).not.toContain("<b>");
    expect(titleOf(home)).toBe(escaped);
    expect(home).toContain(`<h1>${escaped}</h1>`);
    expect(home).toContain(`<meta name="description" content="${escaped}"/>`);
  });
});
