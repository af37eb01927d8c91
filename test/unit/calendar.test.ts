import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/domain/event";
import { eventEndInstant, eventStartInstant } from "../../shared/domain/event-time";
import {
  calendarUid,
  renderCalendar,
  renderCalendarEntry,
  renderEventCalendar,
} from "../../shared/render/calendar/calendar";
import { icalJsEventTimes } from "./fixtures/ical-js";
import {
  components,
  contentLines,
  physicalLines,
  propertyValue,
  propertyValues,
  unescapeText,
} from "./fixtures/read-calendar";
import { SEED_EVENT, SEED_TITLE_EN, SEED_TITLE_KA, seedEvent, timedVenueEvent } from "./fixtures/seed-event";
import { CHECKED_ZONES } from "./fixtures/zones";

const OPTIONS = {
  language: "ka",
  defaultLanguage: "en",
  eventUrl: "https://www.example.org/ka/events/ict-3",
};

const TIMED_EVENT = timedVenueEvent();

const withTitle = (title: string, changes: Partial<StoredEvent> = {}): StoredEvent => {
  const event = seedEvent(changes);
  event.translations = { en: { title, summary: event.translations.en?.summary } };
  return event;
};

describe("renderEventCalendar", () => {
  it("publishes exactly one VEVENT whose UID is the event id, whatever the language", () => {
    const ics = renderEventCalendar(SEED_EVENT, OPTIONS);
    const lines = contentLines(ics);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines).toContain("METHOD:PUBLISH");
    expect(lines.filter((line) => line === "BEGIN:VEVENT")).toHaveLength(1);
    expect(propertyValue(ics, "UID")).toBe(`${SEED_EVENT.id}@eventcast`);
    expect(propertyValue(renderEventCalendar(SEED_EVENT, { ...OPTIONS, language: "en" }), "UID")).toBe(
      `${SEED_EVENT.id}@eventcast`,
    );
  });

  it("writes the all-day seed event as DATE values ending the day after its last day, with no zone", () => {
    const lines = contentLines(renderEventCalendar(SEED_EVENT, OPTIONS));
    expect(lines).toContain("DTSTART;VALUE=DATE:20201214");
    expect(lines).toContain("DTEND;VALUE=DATE:20201215");
    expect(lines.some((line) => line.includes("TZID"))).toBe(false);
    expect(lines).not.toContain("BEGIN:VTIMEZONE");
  });

  it("ends a multi-day all-day event on the day after its last day", () => {
    const lines = contentLines(
      renderEventCalendar(seedEvent({ start: "2020-12-30", end: "2020-12-31" }), OPTIONS),
    );
    expect(lines).toContain("DTSTART;VALUE=DATE:20201230");
    expect(lines).toContain("DTEND;VALUE=DATE:20210101");
  });

  it("writes a timed event in its own zone and defines that zone in a VTIMEZONE", () => {
    const ics = renderEventCalendar(TIMED_EVENT, OPTIONS);
    const lines = contentLines(ics);
    expect(lines).toContain("DTSTART;TZID=Europe/Kyiv:20210318T100000");
    expect(lines).toContain("DTEND;TZID=Europe/Kyiv:20210318T120000");
    const vtimezone = ics.slice(ics.indexOf("BEGIN:VTIMEZONE"), ics.indexOf("END:VTIMEZONE"));
    expect(vtimezone).toContain("TZID:Europe/Kyiv\r\n");
    expect(vtimezone).toContain("TZOFFSETTO:+0200");
    expect(vtimezone).toContain("TZOFFSETTO:+0300");
    // Every zone a date refers to is defined in the file.
    const used = new Set(lines.flatMap((line) => line.match(/;TZID=([^:;]+)/)?.[1] ?? []));
    const defined = new Set(lines.filter((line) => line.startsWith("TZID:")).map((line) => line.slice(5)));
    expect([...used]).toEqual([...defined]);
  });

  it("defines zones newer than any packaged zone data, such as America/Ciudad_Juarez (2022)", () => {
    const event = seedEvent({ ...TIMED_EVENT, timeZone: "America/Ciudad_Juarez" });
    const ics = renderEventCalendar(event, OPTIONS);
    expect(contentLines(ics)).toContain("DTSTART;TZID=America/Ciudad_Juarez:20210318T100000");
    expect(components(ics, "VTIMEZONE").map((zone) => propertyValue(zone, "TZID"))).toEqual([
      "America/Ciudad_Juarez",
    ]);
  });

  it("writes Europe/Kyiv under its current name everywhere", () => {
    const ics = renderEventCalendar(TIMED_EVENT, OPTIONS);
    expect(propertyValues(ics, "TZID")).toEqual(["Europe/Kyiv"]);
    expect(ics).not.toContain("Kiev");
  });

  it("writes an event in UTC with Z times and no VTIMEZONE", () => {
    const lines = contentLines(renderEventCalendar(seedEvent({ ...TIMED_EVENT, timeZone: "UTC" }), OPTIONS));
    expect(lines).toContain("DTSTART:20210318T100000Z");
    expect(lines).not.toContain("BEGIN:VTIMEZONE");
  });

  it("stamps DTSTAMP in UTC and raises SEQUENCE with the event's revision", () => {
    const first = renderEventCalendar(SEED_EVENT, OPTIONS);
    const edited = renderEventCalendar(
      seedEvent({ revision: SEED_EVENT.revision + 1, updatedAt: "2020-12-05T10:30:00.000Z" }),
      OPTIONS,
    );
    expect(propertyValue(first, "DTSTAMP")).toBe("20201201T090000Z");
    expect(propertyValue(edited, "DTSTAMP")).toBe("20201205T103000Z");
    expect(Number(propertyValue(edited, "SEQUENCE"))).toBeGreaterThan(
      Number(propertyValue(first, "SEQUENCE")),
    );
    expect(propertyValue(edited, "SEQUENCE")).toBe(String(SEED_EVENT.revision + 1));
  });

  it("marks a published event CONFIRMED and a cancelled one CANCELLED, keeping its UID", () => {
    expect(propertyValue(renderEventCalendar(SEED_EVENT, OPTIONS), "STATUS")).toBe("CONFIRMED");
    const cancelled = renderEventCalendar(
      seedEvent({ status: "cancelled", cancelledAt: "2020-12-10T08:00:00.000Z", revision: 4 }),
      OPTIONS,
    );
    expect(propertyValue(cancelled, "STATUS")).toBe("CANCELLED");
    expect(propertyValue(cancelled, "UID")).toBe(`${SEED_EVENT.id}@eventcast`);
  });

  it("renders the same bytes for the same revision, so re-sent files do not look like changes", () => {
    expect(renderEventCalendar(SEED_EVENT, OPTIONS)).toBe(
      renderEventCalendar(structuredClone(SEED_EVENT), OPTIONS),
    );
  });

  it("ends every line with CRLF and has no bare CR or LF", () => {
    const ics = renderEventCalendar(TIMED_EVENT, OPTIONS);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("folds lines at 75 octets without ever splitting a UTF-8 character", () => {
    const emojiTitle = `${"🎉 Launch of the ICT innovation clusters ".repeat(3)}🎉`;
    for (const event of [SEED_EVENT, withTitle(emojiTitle)]) {
      const ics = renderEventCalendar(event, {
        ...OPTIONS,
        seriesName: "საინფორმაციო ტექნოლოგიები".repeat(4),
      });
      const decoder = new TextDecoder("utf-8", { fatal: true });
      for (const line of physicalLines(ics)) {
        expect(line.length).toBeLessThanOrEqual(75);
        expect(() => decoder.decode(line)).not.toThrow();
      }
    }
    const georgian = renderEventCalendar(SEED_EVENT, OPTIONS);
    expect(georgian.split("\r\n").filter((line) => line.startsWith(" ")).length).toBeGreaterThan(0);
    expect(unescapeText(propertyValue(georgian, "SUMMARY") ?? "")).toBe(SEED_TITLE_KA);
    expect(
      unescapeText(propertyValue(renderEventCalendar(withTitle(emojiTitle), OPTIONS), "SUMMARY") ?? ""),
    ).toBe(emojiTitle.trim());
  });

  it("escapes commas, semicolons, backslashes and newlines in text values", () => {
    const event = withTitle("Clusters, policy; and a back\\slash", { moderator: undefined, speakers: [] });
    event.translations.en = {
      title: event.translations.en?.title ?? "",
      summary: "Line one\nLine two, with; marks",
    };
    const ics = renderEventCalendar(event, OPTIONS);
    expect(propertyValue(ics, "SUMMARY")).toBe("Clusters\\, policy\\; and a back\\\\slash");
    expect(propertyValue(ics, "DESCRIPTION")).toBe(
      "Line one\\nLine two\\, with\\; marks\\n\\nhttps://www.example.org/ka/events/ict-3",
    );
  });

  it("never lets editor text start a property or component of its own", () => {
    const event = withTitle("Networking\r\nATTENDEE:mailto:victim@example.org\u0000\u001b[31m", {
      location: {
        type: "venue",
        name: "Hall\nORGANIZER:mailto:x@example.org",
        city: "Tbilisi\rBEGIN:VALARM",
      },
      revision: 7,
    });
    event.translations.en = {
      title: event.translations.en?.title ?? "",
      summary: "Hi\nEND:VEVENT\nBEGIN:VEVENT",
    };
    const ics = renderEventCalendar(event, { ...OPTIONS, seriesName: "Series\r\nX-INJECTED:1" });
    const names = contentLines(ics).map((line) => line.split(/[;:]/)[0]);
    for (const forbidden of ["ATTENDEE", "ORGANIZER", "X-INJECTED"]) expect(names).not.toContain(forbidden);
    expect(contentLines(ics).filter((line) => line === "BEGIN:VEVENT")).toHaveLength(1);
    expect(contentLines(ics)).not.toContain("BEGIN:VALARM");
    // No control character but the CRLF line ends.
    expect(ics).not.toMatch(/[^\P{Cc}\r\n]/u);
    expect(propertyValue(ics, "SUMMARY")).toBe("Networking ATTENDEE:mailto:victim@example.org [31m");
  });

  it("takes the title in the reader's language, else the default language, else any the event has", () => {
    expect(unescapeText(propertyValue(renderEventCalendar(SEED_EVENT, OPTIONS), "SUMMARY") ?? "")).toBe(
      SEED_TITLE_KA,
    );
    const russianReader = { ...OPTIONS, language: "ru" };
    expect(unescapeText(propertyValue(renderEventCalendar(SEED_EVENT, russianReader), "SUMMARY") ?? "")).toBe(
      SEED_TITLE_EN,
    );
    const georgianOnly = seedEvent();
    georgianOnly.translations = { ka: SEED_EVENT.translations.ka ?? { title: "" } };
    expect(
      unescapeText(propertyValue(renderEventCalendar(georgianOnly, russianReader), "SUMMARY") ?? ""),
    ).toBe(SEED_TITLE_KA);
  });

  it("gives the event page as URL and in the description, and the online link or the venue as LOCATION", () => {
    const online = renderEventCalendar(SEED_EVENT, OPTIONS);
    expect(propertyValue(online, "URL")).toBe("https://www.example.org/ka/events/ict-3");
    expect(propertyValue(online, "LOCATION")).toBe("https://example.org/live");
    const description = unescapeText(propertyValue(online, "DESCRIPTION") ?? "");
    expect(description.startsWith(`${SEED_EVENT.translations.ka?.summary}\n\n`)).toBe(true);
    expect(description.endsWith("\n\nhttps://www.example.org/ka/events/ict-3")).toBe(true);
    const venue = renderEventCalendar(TIMED_EVENT, { ...OPTIONS, language: "en" });
    expect(unescapeText(propertyValue(venue, "LOCATION") ?? "")).toBe(
      "Innovation Hub, 1 Khreshchatyk St, Kyiv, Ukraine",
    );
    expect(
      propertyValue(renderEventCalendar(seedEvent({ location: { type: "online" } }), OPTIONS), "LOCATION"),
    ).toBe("ონლაინ");
  });

  it("lists the moderator and the speakers in the description in the reader's language, countries too", () => {
    const description = unescapeText(
      propertyValue(renderEventCalendar(SEED_EVENT, OPTIONS), "DESCRIPTION") ?? "",
    );
    expect(description).toContain(
      "მოდერატორი: ანა პობოლი, პროგრამის EU4Digital საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების მიმართულების ხელმძღვანელი\nსპიკერები:\n- კრისტოფ გიშარი, ",
    );
    expect(description).toContain(
      "\n- ოლგა შაპოვალი, აღმასრულებელი დირექტორი, ხარკოვის საინფორმაციო ტექნოლოგიების კლასტერი, უკრაინა\n\n",
    );
    expect(description).not.toContain("Olga Shapoval");
    // Romanian has no translation of the people: the default language's text, with Romanian labels and countries.
    const romanian = unescapeText(
      propertyValue(renderEventCalendar(SEED_EVENT, { ...OPTIONS, language: "ro" }), "DESCRIPTION") ?? "",
    );
    expect(romanian).toContain("Moderator: Anna Pobol, Head of ICT Innovation, EU4Digital\nVorbitori:\n");
    expect(romanian).toContain("- Olga Shapoval, Executive director, Kharkiv IT Cluster, Ucraina");
  });

  it("gives a venue's name, address and city in the reader's language as LOCATION, else the default's", () => {
    const event = timedVenueEvent();
    if (event.location.type !== "venue") throw new Error("a venue event");
    event.location.translations = {
      uk: { name: "Інноваційний хаб", address: "вул. Хрещатик, 1", city: "Київ" },
      ka: { name: "ინოვაციების ჰაბი", city: "კიევი" },
    };
    const location = (language: string) =>
      unescapeText(propertyValue(renderEventCalendar(event, { ...OPTIONS, language }), "LOCATION") ?? "");
    expect(location("uk")).toBe("Інноваційний хаб, вул. Хрещатик, 1, Київ, Україна");
    // A translation is whole: the Georgian one has no address, so none is shown in Georgian.
    expect(location("ka")).toBe("ინოვაციების ჰაბი, კიევი, უკრაინა");
    expect(location("ro")).toBe("Innovation Hub, 1 Khreshchatyk St, Kyiv, Ucraina");
  });

  it("escapes and flattens hostile names, roles and addresses in every language", () => {
    const hostile = "Eve, \\; <b>\nATTENDEE:mailto:victim@example.org";
    const event = timedVenueEvent({
      moderator: { name: "Mod", translations: { ka: { name: hostile, role: hostile } } },
      speakers: [{ name: "Sp", translations: { ka: { name: hostile, organisation: hostile } } }],
    });
    if (event.location.type !== "venue") throw new Error("a venue event");
    event.location.translations = { ka: { name: hostile, address: hostile, city: hostile } };
    const ics = renderEventCalendar(event, OPTIONS);
    expect(contentLines(ics).map((line) => line.split(/[;:]/)[0])).not.toContain("ATTENDEE");
    const flat = "Eve, \\; <b> ATTENDEE:mailto:victim@example.org";
    expect(unescapeText(propertyValue(ics, "LOCATION") ?? "")).toBe(`${flat}, ${flat}, ${flat}, უკრაინა`);
    expect(propertyValue(ics, "LOCATION")).toContain("Eve\\, \\\\\\; <b> ATTENDEE");
    expect(unescapeText(propertyValue(ics, "DESCRIPTION") ?? "")).toContain(
      `მოდერატორი: ${flat}, ${flat}\nსპიკერები:\n- ${flat}, ${flat}`,
    );
  });

  it("names the product and the series when given", () => {
    const ics = renderEventCalendar(SEED_EVENT, {
      ...OPTIONS,
      productId: "-//EU4Digital//eventcast//EN",
      seriesName: "ICT innovation networking events",
    });
    expect(propertyValue(ics, "PRODID")).toBe("-//EU4Digital//eventcast//EN");
    expect(propertyValue(ics, "CATEGORIES")).toBe("ICT innovation networking events");
  });
});

describe("renderCalendar", () => {
  const tbilisi = timedVenueEvent({ id: "tbilisi", timeZone: "Asia/Tbilisi" });
  const kyivLater = timedVenueEvent({ id: "kyiv-later", start: "2021-04-01T10:00", end: "2021-04-01T12:00" });
  const entries = [
    TIMED_EVENT,
    tbilisi,
    kyivLater,
    seedEvent({ id: "all-day" }),
    seedEvent({ ...TIMED_EVENT, id: "utc", timeZone: "UTC" }),
  ].map((event) => renderCalendarEntry(event, OPTIONS));

  it("holds one VEVENT per entry and one VTIMEZONE per zone they use, whatever their order", () => {
    const ics = renderCalendar(entries);
    expect(components(ics, "VEVENT")).toHaveLength(5);
    const vtimezones = components(ics, "VTIMEZONE");
    expect(vtimezones.map((component) => propertyValue(component, "TZID"))).toEqual([
      "Asia/Tbilisi",
      "Europe/Kyiv",
    ]);
    const used = new Set(contentLines(ics).flatMap((line) => line.match(/;TZID=([^:;]+)/)?.[1] ?? []));
    expect([...used].sort()).toEqual(["Asia/Tbilisi", "Europe/Kyiv"]);
    expect(components(renderCalendar([...entries].reverse()), "VTIMEZONE")).toEqual(vtimezones);
  });

  it("writes every calendar property before the first component", () => {
    const lines = contentLines(renderCalendar(entries, { subscription: { name: "Events" } }));
    // The calendar's own lines (depth 1) and where each stands; components open at depth 1 too.
    let depth = 0;
    const calendarLevel: { line: string; index: number }[] = [];
    lines.forEach((line, index) => {
      if (line.startsWith("END:")) depth--;
      if (depth === 1) calendarLevel.push({ line, index });
      if (line.startsWith("BEGIN:")) depth++;
    });
    const firstComponent = calendarLevel.find(({ line }) => line.startsWith("BEGIN:"))?.index ?? -1;
    const properties = calendarLevel.filter(({ line }) => !/^(BEGIN|END):/.test(line));
    expect(properties.length).toBeGreaterThan(5);
    expect(properties.every(({ index }) => index < firstComponent)).toBe(true);
  });

  it("names a subscription calendar and asks programs to fetch it again hourly; a one-off import does neither", () => {
    const subscribed = renderCalendar(entries, {
      subscription: {
        name: "EU4Digital events — ქართული",
        description: "Upcoming and past events",
        url: "https://feeds.example.org/ka/events.ics",
      },
    });
    const lines = contentLines(subscribed);
    expect(lines).toContain("X-WR-CALNAME:EU4Digital events — ქართული");
    expect(lines).toContain("X-WR-CALDESC:Upcoming and past events");
    expect(lines).toContain("METHOD:PUBLISH");
    expect(lines).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    expect(lines).toContain("X-PUBLISHED-TTL:PT1H");
    expect(lines).toContain("SOURCE;VALUE=URI:https://feeds.example.org/ka/events.ics");
    const imported = contentLines(renderCalendar(entries));
    for (const name of ["X-WR-CALNAME", "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL", "SOURCE"]) {
      expect(imported.some((line) => line.startsWith(name))).toBe(false);
    }
  });

  it("keeps the calendar's name and description on one line, escaped", () => {
    const ics = renderCalendar([], {
      subscription: { name: "Events, news; more\r\nX-INJECTED:1", description: "A\nB" },
    });
    expect(propertyValue(ics, "X-WR-CALNAME")).toBe("Events\\, news\\; more X-INJECTED:1");
    expect(propertyValue(ics, "X-WR-CALDESC")).toBe("A B");
    expect(contentLines(ics).map((line) => line.split(/[;:]/)[0])).not.toContain("X-INJECTED");
  });

  it("is still a whole calendar with no entries", () => {
    expect(contentLines(renderCalendar([]))).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//eventcast//eventcast//EN",
      "METHOD:PUBLISH",
      "END:VCALENDAR",
    ]);
  });
});

describe("what a calendar program reads", () => {
  // Each zone from 10:50 to 23:10 on the 18th of every month of 2021 and of 2027: one calendar spans both.
  const events = CHECKED_ZONES.flatMap((timeZone) =>
    [2021, 2027].flatMap((year) =>
      Array.from({ length: 12 }, (_, month) => {
        const day = `${year}-${String(month + 1).padStart(2, "0")}-18`;
        return timedVenueEvent({
          id: `${timeZone}-${day}`,
          start: `${day}T10:50`,
          end: `${day}T23:10`,
          timeZone,
        });
      }),
    ),
  );

  it("is, in Mozilla's ical.js, the same start and end as the instants in our feeds and API", () => {
    const ics = renderCalendar(events.map((event) => renderCalendarEntry(event, OPTIONS)));
    const read = new Map(icalJsEventTimes(ics).map((times) => [times.uid, times]));
    expect(read.size).toBe(events.length);
    for (const event of events) {
      expect(read.get(calendarUid(event))).toEqual({
        uid: calendarUid(event),
        start: Date.parse(eventStartInstant(event)),
        end: Date.parse(eventEndInstant(event)),
      });
    }
  });
});
