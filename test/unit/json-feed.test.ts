import { describe, expect, it } from "vitest";
import { JSON_FEED_VERSION } from "../../shared/render/feeds";
import { RFC_3339, renderFeeds } from "./fixtures/read-feeds";
import { SEED_EVENT, SEED_TITLE_KA, seedEvent, timedVenueEvent } from "./fixtures/seed-event";

describe("the JSON Feed 1.1 document", () => {
  it("has the version, title, home page, its own URL, description and language", () => {
    const feed = renderFeeds([SEED_EVENT]).json("ka/feed.json");
    expect(feed).toMatchObject({
      version: "https://jsonfeed.org/version/1.1",
      title: "EU4Digital events — ქართული",
      home_page_url: "https://www.example.org",
      feed_url: "https://feeds.example.org/ka/feed.json",
      description: "Upcoming and past events",
      language: "ka",
    });
    expect(feed.version).toBe(JSON_FEED_VERSION);
  });

  it("gives each item the event id, page, title, HTML content, summary, dates, tags and language", () => {
    const [item] = renderFeeds([SEED_EVENT]).json("ka/feed.json").items;
    expect(item).toMatchObject({
      id: SEED_EVENT.id,
      url: "https://www.example.org/ka/events/ict-innovation-networking-3",
      title: SEED_TITLE_KA,
      summary: SEED_EVENT.translations.ka?.summary,
      date_published: "2020-12-01T09:00:00.000Z",
      date_modified: "2020-12-01T09:00:00.000Z",
      tags: ["საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების ქსელური აქტივობის ღონისძიებები"],
      language: "ka",
    });
    expect(item?.content_html).toContain("<strong>თარიღი:</strong> 14 დეკემბერი, 2020");
  });

  it("writes every date as RFC 3339, published at the announcement and modified at the last edit", () => {
    const edited = seedEvent({ updatedAt: "2020-12-05T15:30:00Z", publishedAt: "2020-12-01T09:00:00+01:00" });
    const [item] = renderFeeds([edited]).json().items;
    expect(item?.date_published).toBe("2020-12-01T08:00:00.000Z");
    expect(item?.date_modified).toBe("2020-12-05T15:30:00.000Z");
    for (const date of [
      item?.date_published,
      item?.date_modified,
      item?._event.startsAt,
      item?._event.endsAt,
    ]) {
      expect(date).toMatch(RFC_3339);
    }
  });

  it("keeps the id when an editor changes the title", () => {
    const edited = seedEvent({ updatedAt: "2020-12-05T15:30:00.000Z" });
    edited.translations.en = { title: "Renamed" };
    expect(renderFeeds([edited]).json().items[0]?.id).toBe(renderFeeds([SEED_EVENT]).json().items[0]?.id);
  });

  it("carries the machine-readable event in _event for an all-day event", () => {
    const [item] = renderFeeds([SEED_EVENT]).json().items;
    expect(item?._event).toEqual({
      status: "published",
      slug: "ict-innovation-networking-3",
      start: "2020-12-14",
      end: "2020-12-14",
      allDay: true,
      startsAt: "2020-12-14T00:00:00Z",
      endsAt: "2020-12-15T00:00:00Z",
      location: { type: "online", url: "https://example.org/live" },
      agendaUrl: "https://example.org/agenda.pdf",
      moderator: { language: "en", name: "Anna Pobol", role: "Head of ICT Innovation, EU4Digital" },
      speakers: SEED_EVENT.speakers.map(({ translations: _translations, ...speaker }) => ({
        language: "en",
        ...speaker,
      })),
      series: { id: "ict-innovation-networking", name: "ICT innovation networking events" },
      sequence: 3,
    });
  });

  it("gives _event the .ics SEQUENCE and, once the event moved, the start before the move", () => {
    const moved = seedEvent({
      start: "2020-12-15",
      end: "2020-12-15",
      previousStart: "2020-12-14",
      revision: 9,
    });
    const [item] = renderFeeds([moved]).json().items;
    expect(item?._event).toMatchObject({ sequence: 9, start: "2020-12-15", previousStart: "2020-12-14" });
  });

  it("names the people and the venue in _event in the feed's language, and says which language each is in", () => {
    const event = timedVenueEvent();
    if (event.location.type !== "venue") throw new Error("a venue event");
    event.location.translations = { ka: { name: "ინოვაციების ჰაბი", city: "კიევი" } };
    const [item] = renderFeeds([event]).json("ka/feed.json").items;
    expect(item?._event.moderator).toEqual({
      language: "ka",
      name: "ანა პობოლი",
      role: "პროგრამის EU4Digital საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების მიმართულების ხელმძღვანელი",
    });
    expect(item?._event.speakers.at(-1)).toEqual({
      language: "ka",
      name: "ოლგა შაპოვალი",
      role: "აღმასრულებელი დირექტორი",
      organisation: "ხარკოვის საინფორმაციო ტექნოლოგიების კლასტერი",
      country: "UA",
    });
    expect(item?._event.location).toEqual({
      type: "venue",
      language: "ka",
      name: "ინოვაციების ჰაბი",
      city: "კიევი",
      country: "UA",
    });
    expect(item?.content_html).toContain("<li><strong>ოლგა შაპოვალი</strong>, ");
  });

  it("carries the zone and UTC instants of a timed event, and the cancellation", () => {
    const event = seedEvent({
      start: "2021-03-18T10:00:00",
      end: "2021-03-18T12:00:00",
      timeZone: "Europe/Kyiv",
      status: "cancelled",
      cancelledAt: "2021-03-01T10:00:00.000Z",
    });
    const [item] = renderFeeds([event]).json().items;
    expect(item?._event).toMatchObject({
      status: "cancelled",
      allDay: false,
      timeZone: "Europe/Kyiv",
      startsAt: "2021-03-18T08:00:00Z",
      endsAt: "2021-03-18T10:00:00Z",
      cancelledAt: "2021-03-01T10:00:00.000Z",
    });
    expect(item?.title).toMatch(/^Cancelled: /);
    expect(item?.tags).toContain("cancelled");
    expect(item?.content_html).toContain("18 March 2021, 10:00–12:00 EET (Europe/Kyiv)");
  });

  it("gives back exactly what the editor wrote, quotes, backslashes and markup included", () => {
    const title = `"Quotes" \\ back\\slash </script><script>alert(1)</script> ]]> ქართული`;
    const event = seedEvent({
      speakers: [{ name: title, translations: { en: { name: title, role: title } } }],
    });
    event.translations.en = { title, summary: title };
    const feed = renderFeeds([event]);
    const [item] = feed.json().items;
    expect(item?.title).toBe(title);
    expect(item?.summary).toBe(title);
    expect(item?._event.speakers[0]?.name).toBe(title);
    expect(item?._event.speakers[0]?.role).toBe(title);
    expect(item?.content_html).not.toContain("<script");
  });

  it("is a valid feed with no items for a language without events", () => {
    const feed = renderFeeds([SEED_EVENT]).json("ro/feed.json");
    expect(feed.items).toEqual([]);
    expect(feed.title).toBe("EU4Digital events — Română");
  });
});
