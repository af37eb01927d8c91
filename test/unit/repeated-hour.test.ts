/**
 * A local time that happens twice (the hour repeated when the clocks go back) is its first
 * occurrence (RFC 5545 §3.3.5) in every output: feed instants, the .ics, mail and feed text.
 */
import { describe, expect, it } from "vitest";
import { renderEventCalendar } from "../../shared/render/calendar/calendar";
import { renderAnnouncementMail } from "../../shared/render/mail";
import { icalJsEventTimes, intlInstantsAt } from "./fixtures/ical-js";
import { components, contentLines, propertyValue } from "./fixtures/read-calendar";
import { renderFeeds } from "./fixtures/read-feeds";
import { timedVenueEvent } from "./fixtures/seed-event";

/** 02:30 on the night Brussels puts its clocks back from 03:00 summer time to 02:00 winter time. */
const REPEATED = timedVenueEvent({
  id: "repeated",
  slug: "repeated",
  start: "2021-10-31T02:30",
  end: "2021-10-31T03:30",
  timeZone: "Europe/Brussels",
});
const OPTIONS = {
  language: "en",
  defaultLanguage: "en",
  eventUrl: "https://www.example.org/en/events/repeated",
};
const FIRST_OCCURRENCE = "2021-10-31T00:30:00.000Z";

describe("an event in the repeated hour", () => {
  it("happens twice by the zone's rules, and we take the first", () => {
    const instants = intlInstantsAt("Europe/Brussels", Date.UTC(2021, 9, 31, 2, 30)).map((at) =>
      new Date(at).toISOString(),
    );
    expect(instants).toEqual([FIRST_OCCURRENCE, "2021-10-31T01:30:00.000Z"]);
  });

  it("starts at the first occurrence in the JSON Feed, in every language", () => {
    const feeds = renderFeeds([REPEATED]);
    for (const key of ["feed.json", "en/feed.json", "ka/feed.json"]) {
      const [item] = feeds.json(key).items;
      expect(item?._event).toMatchObject({
        start: "2021-10-31T02:30",
        startsAt: "2021-10-31T00:30:00Z",
        endsAt: "2021-10-31T02:30:00Z",
      });
    }
  });

  it("is written in the .ics as the local time with its TZID, which RFC 5545 reads as the first occurrence", () => {
    const ics = renderEventCalendar(REPEATED, OPTIONS);
    expect(contentLines(ics)).toContain("DTSTART;TZID=Europe/Brussels:20211031T023000");
    const [vtimezone = ""] = components(ics, "VTIMEZONE");
    expect(propertyValue(vtimezone, "TZID")).toBe("Europe/Brussels");
    // The zone puts the clocks back at 03:00 summer time, so 02:30 comes first in summer time.
    expect(vtimezone).toContain(
      "BEGIN:STANDARD\r\nDTSTART:20211031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n",
    );
  });

  it("is read an hour later by ical.js, which like libical takes the second occurrence against the RFC", () => {
    const [read] = icalJsEventTimes(renderEventCalendar(REPEATED, OPTIONS));
    expect(new Date(read?.start ?? 0).toISOString()).toBe("2021-10-31T01:30:00.000Z");
  });

  it("shows the first occurrence's zone name in the mail and in the feed text", () => {
    const when = "31 October 2021, 02:30–03:30 CEST (Europe/Brussels)";
    const mail = renderAnnouncementMail({
      event: REPEATED,
      language: "en",
      defaultLanguage: "en",
      links: {
        eventUrl: OPTIONS.eventUrl,
        calendarUrl: "https://events.example.org/api/events/repeated/calendar.ics",
        manageUrl: "https://events.example.org/api/subscriptions/manage?token=t",
        unsubscribeUrl: "https://events.example.org/api/subscriptions/unsubscribe?token=t",
      },
      sender: { organisation: "EU4Digital", postalAddress: "Rue de la Loi 170, 1000 Brussels, Belgium" },
    });
    expect(mail.text).toContain(when);
    expect(renderFeeds([REPEATED]).json("en/feed.json").items[0]?.content_html).toContain(when);
  });
});
