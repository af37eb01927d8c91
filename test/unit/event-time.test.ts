import { afterEach, describe, expect, it, vi } from "vitest";
import { eventEndInstant, eventStartInstant, readLocalTime } from "../../shared/domain/event-time";
import { formatEventWhen } from "../../shared/render/event-when";
import { INTERFACE_LANGUAGES } from "../../shared/render/i18n";

const ALL_DAY = { start: "2020-12-14", end: "2020-12-14" };
const TIMED_KYIV = { start: "2021-03-18T10:00:00", end: "2021-03-18T12:00:00", timeZone: "Europe/Kyiv" };
const TIME_OF_DAY = /\d{1,2}[:.]\d{2}/;

describe("formatEventWhen", () => {
  it("shows an all-day event as its date, without a time, in English", () => {
    expect(formatEventWhen(ALL_DAY, "en")).toBe("14 December 2020");
  });

  it.each(INTERFACE_LANGUAGES)(
    "shows an all-day event on the same date and without a time in %s",
    (language) => {
      const when = formatEventWhen(ALL_DAY, language);
      expect(when).toMatch(/\b14\b/);
      expect(when).toContain("2020");
      expect(when).not.toMatch(/\b1[35]\b/);
      expect(when).not.toMatch(TIME_OF_DAY);
    },
  );

  it("never moves an all-day event to another day, whatever its zone", () => {
    for (const timeZone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Brussels"]) {
      expect(formatEventWhen({ ...ALL_DAY, timeZone }, "en")).toBe("14 December 2020");
    }
  });

  it("shows a multi-day all-day event as a date range, end day included", () => {
    expect(formatEventWhen({ start: "2020-12-14", end: "2020-12-16" }, "en")).toBe(
      "14\u2009–\u200916 December 2020",
    );
    expect(formatEventWhen({ start: "2020-12-14", end: "2020-12-16" }, "ru")).toBe(
      "14–16 декабря 2020\u202fг.",
    );
  });

  it("shows a timed event at its local time, with the zone's name and IANA id", () => {
    expect(formatEventWhen(TIMED_KYIV, "en")).toBe("18 March 2021, 10:00–12:00 EET (Europe/Kyiv)");
    expect(formatEventWhen(TIMED_KYIV, "ka")).toBe("18 მარტი, 2021, 10:00–12:00 GMT+2 (Europe/Kyiv)");
  });

  it.each(INTERFACE_LANGUAGES)("shows a timed event's 10:00 start and its zone in %s", (language) => {
    const when = formatEventWhen(TIMED_KYIV, language);
    expect(when).toMatch(/\b10[:.]00\b/);
    expect(when).toContain("Europe/Kyiv");
    expect(when).toContain("2021");
  });

  it("names the summer offset of a zone in summer", () => {
    const summer = { start: "2021-07-01T10:00", end: "2021-07-01T11:30", timeZone: "Europe/Kyiv" };
    expect(formatEventWhen(summer, "en")).toBe("1 July 2021, 10:00–11:30 EEST (Europe/Kyiv)");
  });

  it("shows both dates of a timed event that ends on another day", () => {
    const overnight = { start: "2021-03-18T10:00", end: "2021-03-19T12:00", timeZone: "Asia/Tbilisi" };
    expect(formatEventWhen(overnight, "en")).toBe(
      "18 March 2021 at 10:00\u2009–\u200919 March 2021 at 12:00 GMT+4 (Asia/Tbilisi)",
    );
  });
});

describe("eventStartInstant and eventEndInstant", () => {
  it("start an all-day event without a zone at UTC midnight and end it at the next midnight", () => {
    expect(eventStartInstant(ALL_DAY)).toBe("2020-12-14T00:00:00Z");
    expect(eventEndInstant(ALL_DAY)).toBe("2020-12-15T00:00:00Z");
  });

  it("start an all-day event with a zone at midnight in that zone", () => {
    const brussels = { ...ALL_DAY, end: "2020-12-15", timeZone: "Europe/Brussels" };
    expect(eventStartInstant(brussels)).toBe("2020-12-13T23:00:00Z");
    expect(eventEndInstant(brussels)).toBe("2020-12-15T23:00:00Z");
  });

  it("read a timed event's local times in its zone, winter and summer", () => {
    expect(eventStartInstant(TIMED_KYIV)).toBe("2021-03-18T08:00:00Z");
    expect(eventEndInstant(TIMED_KYIV)).toBe("2021-03-18T10:00:00Z");
    expect(
      eventStartInstant({ start: "2021-07-01T10:00", end: "2021-07-01T11:00", timeZone: "Europe/Kyiv" }),
    ).toBe("2021-07-01T07:00:00Z");
  });

  it("sort the same way as the events happen", () => {
    const earlier = eventStartInstant({
      start: "2021-03-18T10:00",
      end: "2021-03-18T11:00",
      timeZone: "Asia/Tbilisi",
    });
    const later = eventStartInstant({
      start: "2021-03-18T09:00",
      end: "2021-03-18T10:00",
      timeZone: "Europe/Brussels",
    });
    expect(earlier < later).toBe(true);
  });

  it("reject a date that is not a date rather than guess", () => {
    expect(() => eventStartInstant({ start: "2021-02-30", end: "2021-02-30" })).toThrow(/2021-02-30/);
  });
});

describe("readLocalTime, as RFC 5545 §3.3.5 reads a time with a TZID", () => {
  const instant = (value: string, zone: string) => readLocalTime(value, zone).time.toUTC().toISO();

  it("reads the RFC's own examples: the repeated 01:30 is EDT, the skipped 02:30 is 03:30 EDT", () => {
    expect(instant("2007-11-04T01:30", "America/New_York")).toBe("2007-11-04T05:30:00.000Z");
    expect(instant("2007-03-11T02:30", "America/New_York")).toBe("2007-03-11T07:30:00.000Z");
  });

  it("says which jump of the clocks skips a time, and leaves every other time alone", () => {
    expect(readLocalTime("2021-03-28T02:30", "Europe/Brussels").skipped).toEqual({
      from: "2021-03-28T02:00",
      to: "2021-03-28T03:00",
    });
    expect(readLocalTime("2021-10-03T02:15", "Australia/Sydney").skipped).toEqual({
      from: "2021-10-03T02:00",
      to: "2021-10-03T03:00",
    });
    for (const value of ["2021-03-28T01:59", "2021-03-28T03:00", "2021-10-31T02:30"]) {
      expect(readLocalTime(value, "Europe/Brussels").skipped).toBeUndefined();
    }
  });

  it("reads the repeated hour as its first occurrence, in the south and in half-hour zones too", () => {
    expect(instant("2021-10-31T02:30", "Europe/Brussels")).toBe("2021-10-31T00:30:00.000Z");
    expect(instant("2021-04-04T02:30", "Australia/Sydney")).toBe("2021-04-03T15:30:00.000Z");
    // Lord Howe Island puts its clocks back half an hour.
    expect(instant("2021-04-04T01:45", "Australia/Lord_Howe")).toBe("2021-04-03T14:45:00.000Z");
  });
});

describe("the repeated hour, whatever today's date", () => {
  const REPEATED = { start: "2021-10-31T02:30", end: "2021-10-31T03:30", timeZone: "Europe/Brussels" };
  afterEach(() => {
    vi.useRealTimers();
  });

  // luxon alone reads it with today's offset: the first occurrence in summer, the second in winter.
  it.each(["2026-01-15T12:00:00Z", "2026-07-15T12:00:00Z"])(
    "starts at its first occurrence in instants and in words when today is %s",
    (today) => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date(today));
      expect(eventStartInstant(REPEATED)).toBe("2021-10-31T00:30:00Z");
      expect(eventEndInstant(REPEATED)).toBe("2021-10-31T02:30:00Z");
      expect(formatEventWhen(REPEATED, "en")).toBe("31 October 2021, 02:30–03:30 CEST (Europe/Brussels)");
    },
  );
});

describe("an all-day event on a day whose midnight the clocks skip", () => {
  it("starts at the day's first moment, as calendars start it", () => {
    // Chile moved its clocks from 24:00 on 10 September 2022 to 01:00 on the 11th.
    const santiago = { start: "2022-09-11", end: "2022-09-11", timeZone: "America/Santiago" };
    expect(eventStartInstant(santiago)).toBe("2022-09-11T04:00:00Z");
    expect(formatEventWhen(santiago, "en")).toBe("11 September 2022");
  });
});
