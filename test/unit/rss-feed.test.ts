import { describe, expect, it } from "vitest";
import { RFC_822, renderFeeds } from "./fixtures/read-feeds";
import { SEED_EVENT, SEED_SERIES, SEED_TITLE_EN, SEED_TITLE_KA, seedEvent } from "./fixtures/seed-event";

const HOSTILE_TEXT = `Tom & Jerry <b>bold</b> ]]> <script>alert(1)</script> <img src=x onerror="alert(2)">`;

describe("the RSS 2.0 feed, as a feed reader sees it", () => {
  it("describes the channel: title, link, description, language, self link and build date", () => {
    const channel = renderFeeds([SEED_EVENT]).rss("ka/feed.xml");
    expect(channel.title).toBe("EU4Digital events — ქართული");
    expect(channel.link).toBe("https://www.example.org");
    expect(channel.description).toBe("Upcoming and past events");
    expect(channel.language).toBe("ka");
    expect(channel["atom:link"]).toEqual({
      "@_href": "https://feeds.example.org/ka/feed.xml",
      "@_rel": "self",
      "@_type": "application/rss+xml",
    });
    expect(channel.lastBuildDate).toMatch(RFC_822);
  });

  it("gives each item the event id as a guid that is not a permalink, the page link and the announcement date", () => {
    const [item] = renderFeeds([SEED_EVENT]).rss().item ?? [];
    expect(item?.guid).toEqual({ "#text": SEED_EVENT.id, "@_isPermaLink": "false" });
    expect(item?.link).toBe("https://www.example.org/en/events/ict-innovation-networking-3");
    expect(item?.title).toBe(SEED_TITLE_EN);
    expect(item?.pubDate).toBe("Tue, 01 Dec 2020 09:00:00 GMT");
    expect(item?.pubDate).toMatch(RFC_822);
    expect(item?.category).toEqual(["ICT innovation networking events"]);
    expect(item?.["dc:language"]).toBe("en");
  });

  it("keeps the guid and the pubDate when an editor changes the title", () => {
    const edited = seedEvent({ updatedAt: "2020-12-05T15:30:00.000Z", revision: 4 });
    edited.translations.en = { ...SEED_EVENT.translations.en, title: "Renamed: cluster networking" };
    const before = renderFeeds([SEED_EVENT]).rss().item?.[0];
    const after = renderFeeds([edited]).rss().item?.[0];
    expect(after?.title).toBe("Renamed: cluster networking");
    expect(after?.guid).toEqual(before?.guid);
    expect(after?.pubDate).toBe(before?.pubDate);
  });

  it("carries Georgian text through unchanged", () => {
    const [item] = renderFeeds([SEED_EVENT]).rss("ka/feed.xml").item ?? [];
    expect(item?.title).toBe(SEED_TITLE_KA);
    expect(item?.description).toContain(SEED_EVENT.translations.ka?.summary);
    expect(item?.description).toContain("<strong>თარიღი:</strong> 14 დეკემბერი, 2020");
    expect(item?.category).toEqual([
      "საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების ქსელური აქტივობის ღონისძიებები",
    ]);
  });

  it("shows &, <, ]]> and markup in a title as the editor's literal text, in well-formed XML", () => {
    const event = seedEvent();
    event.translations.en = { title: HOSTILE_TEXT, summary: HOSTILE_TEXT };
    const feeds = renderFeeds([event]);
    const [item] = feeds.rss().item ?? [];
    expect(item?.title).toBe(HOSTILE_TEXT);
    expect(feeds.raw("feed.xml")).toContain("]]]]><![CDATA[>");
  });

  it("escapes ]]>, scripts and handlers in bodies and speaker names so no markup of theirs reaches the reader", () => {
    const event = seedEvent({ speakers: [{ name: HOSTILE_TEXT, organisation: "A & B ]]>" }] });
    event.translations.en = {
      title: "Escaping",
      summary: HOSTILE_TEXT,
      body: `<p>Body ]]> text</p><script>alert(3)</script><p onmouseover="alert(4)">hover</p><img src=x onerror=alert(5)>`,
    };
    const [item] = renderFeeds([event]).rss().item ?? [];
    const description = item?.description ?? "";
    expect(description).toContain("<p>Body ]]&gt; text</p>");
    expect(description).toContain(
      "<strong>Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; ]]&gt; &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;</strong>, A &amp; B ]]&gt;",
    );
    expect(description).toContain("<p>hover</p>");
    expect(description).not.toMatch(/<script|<img|onmouseover=|alert\(3\)|alert\(5\)/);
  });

  it("names the seed's moderator and speakers in Georgian in the Georgian feed, and in English in the English one", () => {
    const feeds = renderFeeds([SEED_EVENT]);
    const georgian = feeds.rss("ka/feed.xml").item?.[0]?.description ?? "";
    expect(georgian).toContain("ანა პობოლი");
    expect(georgian).toContain("<li><strong>ლიუდმილა შიიკო</strong>, გენერალური დირექტორი, ");
    expect(georgian).not.toContain("Shiyko");
    const english = feeds.rss("en/feed.xml").item?.[0]?.description ?? "";
    expect(english).toContain("<li><strong>Liudmyla Shiyko</strong>, General director, ");
    expect(english).not.toContain("შიიკო");
  });

  it("escapes translated names, roles, organisations and venues so no markup of theirs reaches the reader", () => {
    const event = seedEvent({
      location: {
        type: "venue",
        name: "Hall",
        translations: { ka: { name: HOSTILE_TEXT, address: "]]>", city: "<b>city</b>" } },
      },
      moderator: { name: "Host", translations: { ka: { name: HOSTILE_TEXT, role: "]]>" } } },
      speakers: [{ name: "Speaker", translations: { ka: { name: HOSTILE_TEXT, organisation: "A & B" } } }],
    });
    const xml = renderFeeds([event]).raw("ka/feed.xml");
    const description = renderFeeds([event]).rss("ka/feed.xml").item?.[0]?.description ?? "";
    const escaped =
      "Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; ]]&gt; &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;";
    expect(description).toContain(`${escaped}, ]]&gt;, &lt;b&gt;city&lt;/b&gt;</li>`);
    expect(description).toContain(`<strong>მოდერატორი:</strong> ${escaped}, ]]&gt;</li>`);
    expect(description).toContain(`<li><strong>${escaped}</strong>, A &amp; B</li>`);
    expect(description).not.toMatch(/<script|<img|<b>/);
    expect(xml).not.toContain("<script");
  });

  it("stays well-formed XML when editor text smuggles in control characters", () => {
    const event = seedEvent();
    event.translations.en = { title: "Bell\u0007 and null\u0000 and \uFFFF", summary: "Form\u000Cfeed" };
    const [item] = renderFeeds([event]).rss().item ?? [];
    expect(item?.title).toBe("Bell and null and ");
  });

  it("marks a cancelled event in its title and categories, in the feed's language", () => {
    const cancelled = seedEvent({ status: "cancelled", cancelledAt: "2020-12-10T10:00:00.000Z" });
    const feeds = renderFeeds([cancelled]);
    const [georgian] = feeds.rss("ka/feed.xml").item ?? [];
    expect(georgian?.title).toBe(`გაუქმებულია: ${SEED_TITLE_KA}`);
    expect(georgian?.category).toContain("cancelled");
    expect(georgian?.description).toMatch(/^<p><strong>გაუქმებულია<\/strong><\/p>/);
    expect(feeds.rss().item?.[0]?.title).toBe(`Cancelled: ${SEED_TITLE_EN}`);
  });

  it("dates the build by the latest change, so an unchanged feed renders to the same bytes", () => {
    const first = renderFeeds([SEED_EVENT], { now: new Date("2026-01-01T00:00:00Z") });
    const second = renderFeeds([SEED_EVENT], { now: new Date("2026-06-01T00:00:00Z") });
    expect(first.rss().lastBuildDate).toBe("Tue, 01 Dec 2020 09:00:00 GMT");
    expect(second.raw("feed.xml")).toBe(first.raw("feed.xml"));
  });

  it("moves the build date when the series is renamed", () => {
    const renamed = { ...SEED_SERIES, updatedAt: "2021-01-04T12:00:00.000Z" };
    expect(renderFeeds([SEED_EVENT], { series: [renamed] }).rss().lastBuildDate).toBe(
      "Mon, 04 Jan 2021 12:00:00 GMT",
    );
  });

  it("still lists an event whose series is unknown, without a series category", () => {
    const [item] = renderFeeds([SEED_EVENT], { series: [] }).rss().item ?? [];
    expect(item?.title).toBe(SEED_TITLE_EN);
    expect(item?.category).toBeUndefined();
    expect(item?.description).not.toContain("Series:");
  });

  it("is a valid, empty channel for a language without events", () => {
    const channel = renderFeeds([SEED_EVENT], { now: new Date("2026-11-30T12:00:00Z") }).rss("hy/feed.xml");
    expect(channel.item).toBeUndefined();
    expect(channel.title).toBe("EU4Digital events — Հայերեն");
    expect(channel.lastBuildDate).toBe("Mon, 30 Nov 2026 12:00:00 GMT");
  });
});
