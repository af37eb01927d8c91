import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/domain/event";
import { renderEventCalendar } from "../../shared/render/calendar/calendar";
import {
  components,
  contentLines,
  physicalLines,
  propertyValue,
  propertyValues,
  unescapeText,
} from "./fixtures/read-calendar";
import { renderFeeds } from "./fixtures/read-feeds";
import {
  eventIn,
  SEED_EVENT,
  SEED_TITLE_KA,
  seedEvent,
  TEST_CONFIG,
  timedVenueEvent,
} from "./fixtures/seed-event";

const uids = (ics: string): string[] => propertyValues(ics, "UID");

/** Four events in three zones (Kyiv twice) and one all-day, each in English and Georgian. */
const programme = (): StoredEvent[] => [
  timedVenueEvent({ id: "kyiv-1", slug: "kyiv-1", publishedAt: "2021-01-04T00:00:00.000Z" }),
  timedVenueEvent({
    id: "kyiv-2",
    slug: "kyiv-2",
    start: "2021-07-01T18:00",
    end: "2021-07-01T20:00",
    publishedAt: "2021-01-03T00:00:00.000Z",
  }),
  timedVenueEvent({
    id: "tbilisi",
    slug: "tbilisi",
    timeZone: "Asia/Tbilisi",
    publishedAt: "2021-01-02T00:00:00.000Z",
  }),
  seedEvent({ id: "all-day", slug: "all-day", publishedAt: "2021-01-01T00:00:00.000Z" }),
];

describe("the iCalendar feeds", () => {
  it("exist at events.ics and at {lang}/events.ics for every supported language, as text/calendar", () => {
    const feeds = renderFeeds([SEED_EVENT]);
    for (const key of ["events.ics", ...TEST_CONFIG.languages.map((language) => `${language}/events.ics`)]) {
      expect(feeds.contentType(key)).toBe("text/calendar; charset=utf-8");
      expect(contentLines(feeds.raw(key))[0]).toBe("BEGIN:VCALENDAR");
    }
  });

  it("hold exactly one VEVENT per event and one VTIMEZONE per zone the events use", () => {
    const ics = renderFeeds(programme()).raw("events.ics");
    expect(uids(ics)).toEqual([
      "kyiv-1@eventcast",
      "kyiv-2@eventcast",
      "tbilisi@eventcast",
      "all-day@eventcast",
    ]);
    expect(components(ics, "VEVENT")).toHaveLength(4);
    expect(components(ics, "VTIMEZONE").map((zone) => propertyValue(zone, "TZID"))).toEqual([
      "Asia/Tbilisi",
      "Europe/Kyiv",
    ]);
  });

  it("give each event the UID, SEQUENCE and very VEVENT of its own .ics in that language", () => {
    const events = programme();
    const ics = renderFeeds(events).raw("ka/events.ics");
    const own = events.map((event) =>
      renderEventCalendar(event, {
        language: "ka",
        defaultLanguage: "en",
        seriesName: "საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების ქსელური აქტივობის ღონისძიებები",
        eventUrl: `https://www.example.org/ka/events/${event.slug}`,
      }),
    );
    expect(uids(ics)).toEqual(own.flatMap(uids));
    expect(components(ics, "VEVENT")).toEqual(own.flatMap((single) => components(single, "VEVENT")));
  });

  it("keep a cancelled event, marked STATUS:CANCELLED, in the default and the language calendars", () => {
    const cancelled = seedEvent({
      status: "cancelled",
      cancelledAt: "2020-12-10T10:00:00.000Z",
      revision: 4,
      updatedAt: "2020-12-10T10:00:00.000Z",
    });
    const feeds = renderFeeds([cancelled]);
    for (const key of ["events.ics", "en/events.ics", "ka/events.ics"]) {
      const ics = feeds.raw(key);
      expect(uids(ics)).toEqual([`${SEED_EVENT.id}@eventcast`]);
      expect(propertyValue(ics, "STATUS")).toBe("CANCELLED");
      expect(propertyValue(ics, "SEQUENCE")).toBe("4");
    }
  });

  it("fold Georgian titles into lines of at most 75 octets, never splitting a character, all ending in CRLF", () => {
    const ics = renderFeeds(programme()).raw("ka/events.ics");
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const lines = physicalLines(ics);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line)).not.toThrow();
    }
    expect(lines.filter((line) => line[0] === 0x20).length).toBeGreaterThan(0);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(propertyValues(ics, "SUMMARY").map(unescapeText)).toEqual(Array(4).fill(SEED_TITLE_KA));
  });

  it("leave out of a language calendar the events without that translation", () => {
    const both = eventIn("both", ["en", "ka"], "2021-01-02T00:00:00.000Z");
    const english = eventIn("english", ["en"], "2021-01-01T00:00:00.000Z");
    const feeds = renderFeeds([both, english]);
    expect(uids(feeds.raw("ka/events.ics"))).toEqual(["both@eventcast"]);
    expect(propertyValue(feeds.raw("ka/events.ics"), "SUMMARY")).toBe("both in ka");
    expect(uids(feeds.raw("en/events.ics"))).toEqual(["both@eventcast", "english@eventcast"]);
    const empty = feeds.raw("az/events.ics");
    expect(components(empty, "VEVENT")).toEqual([]);
    expect(empty.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });

  it("show an event without the default language in the default calendar in the first configured language it has", () => {
    const georgianOnly = eventIn("ka-only", ["ka"], "2021-01-02T00:00:00.000Z");
    const ics = renderFeeds([georgianOnly]).raw("events.ics");
    expect(propertyValue(ics, "SUMMARY")).toBe("ka-only in ka");
    expect(propertyValue(ics, "URL")).toBe("https://www.example.org/ka/events/event-ka-only");
  });

  it("are named after their feed and ask calendar programs to fetch them again every hour", () => {
    const feeds = renderFeeds([SEED_EVENT]);
    const root = contentLines(feeds.raw("events.ics"));
    expect(root).toContain("X-WR-CALNAME:EU4Digital events");
    expect(root).toContain("X-WR-CALDESC:Upcoming and past events");
    expect(root).toContain("METHOD:PUBLISH");
    expect(root).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    expect(root).toContain("X-PUBLISHED-TTL:PT1H");
    expect(root).toContain("SOURCE;VALUE=URI:https://feeds.example.org/events.ics");
    const georgian = feeds.raw("ka/events.ics");
    expect(propertyValue(georgian, "X-WR-CALNAME")).toBe("EU4Digital events — ქართული");
    expect(propertyValue(georgian, "SOURCE")).toBe("https://feeds.example.org/ka/events.ics");
  });

  it("render to the same bytes for the same events, whatever their order and the time of rendering", () => {
    const first = renderFeeds(programme(), { now: new Date("2026-11-30T12:00:00Z") });
    const again = renderFeeds(programme().reverse(), { now: new Date("2027-03-01T08:00:00Z") });
    for (const key of first.keys.filter((key) => key.endsWith(".ics"))) {
      expect(again.raw(key)).toBe(first.raw(key));
    }
  });
});
