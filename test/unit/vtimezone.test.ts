import { describe, expect, it } from "vitest";
import { offsetChanges } from "../../shared/domain/zone-offsets";
import { vtimezoneFor } from "../../shared/render/calendar/vtimezone";
import {
  icalJsInstantAt,
  icalJsZone,
  intlInstantsAt,
  intlOffsetMinutes,
  intlWallClock,
} from "./fixtures/ical-js";
import { contentLines } from "./fixtures/read-calendar";
import { CHECKED_ZONES } from "./fixtures/zones";

const HOUR = 3_600_000;
const SECOND = 1_000;

/** Every hour of the given UTC years, as instants. */
const hoursOf = (firstYear: number, lastYear: number): number[] => {
  const hours: number[] = [];
  for (let at = Date.UTC(firstYear, 0, 1); at < Date.UTC(lastYear + 1, 0, 1); at += HOUR) hours.push(at);
  return hours;
};

/**
 * The instants, as ISO strings, whose wall-clock time (by Intl) ical.js, reading our VTIMEZONE,
 * takes for another instant. In the repeated hour ical.js (like libical) takes the later of the two
 * against RFC 5545 §3.3.5 (its utcOffset says `want_daylight = false; // TODO`): that is all it may
 * differ in. ical.js's own UTC-to-local conversion is not used: it is an hour off near changes.
 */
const disagreements = (zone: string, vtimezone: string, instants: number[]): string[] => {
  const reader = icalJsZone(vtimezone);
  return instants
    .filter((at) => {
      const wallClock = intlWallClock(zone, at);
      return icalJsInstantAt(reader, wallClock) !== intlInstantsAt(zone, wallClock).at(-1);
    })
    .map((at) => new Date(at).toISOString());
};

/**
 * The disagreements at every hour of the years a component covers (the events' years and the one
 * after), from 2 January: the component starts at local midnight on 1 January, after UTC's west of it.
 */
const hourlyDisagreements = (zone: string, first: number, last: number): string[] => {
  const hours = hoursOf(first, last + 1).filter((at) => at >= Date.UTC(first, 0, 2));
  expect(hours.length).toBeGreaterThan((last - first + 2) * 8_700);
  return disagreements(zone, vtimezoneFor(zone, { first, last }), hours);
};

describe("vtimezoneFor", () => {
  it.each(CHECKED_ZONES)(
    "gives %s the runtime's own offset at every hour of a year, and of the year after",
    (zone) => {
      expect(hourlyDisagreements(zone, 2026, 2026)).toEqual([]);
    },
  );

  it.each(["Europe/Kyiv", "Europe/Brussels", "America/New_York", "Australia/Sydney"])(
    "changes %s's offset in the very second the runtime does",
    (zone) => {
      const changes = offsetChanges(zone, Date.UTC(2026, 0, 2), Date.UTC(2028, 0, 1));
      expect(changes).toHaveLength(4);
      const edges = changes.flatMap(({ at }) => [at - SECOND, at]);
      expect(disagreements(zone, vtimezoneFor(zone, { first: 2026, last: 2026 }), edges)).toEqual([]);
    },
  );

  it("describes a zone's past rules, not only today's: Asia/Baku kept summer time until 2015", () => {
    const vtimezone = vtimezoneFor("Asia/Baku", { first: 2014, last: 2017 });
    const lines = contentLines(vtimezone);
    expect(lines).toContain("TZOFFSETTO:+0500");
    // The summer rule stops with the last summer; no rule runs on past it.
    expect(
      lines.filter((line) => line.startsWith("RRULE:")).every((line) => line.includes(";UNTIL=2015")),
    ).toBe(true);
    expect(intlOffsetMinutes("Asia/Baku", Date.UTC(2015, 6, 1))).toBe(300);
    expect(hourlyDisagreements("Asia/Baku", 2014, 2017)).toEqual([]);
  });

  it("keeps the name the event uses, Europe/Kyiv, though the runtime files the zone as Europe/Kiev", () => {
    const lines = contentLines(vtimezoneFor("Europe/Kyiv", { first: 2021, last: 2021 }));
    expect(lines[0]).toBe("BEGIN:VTIMEZONE");
    expect(lines[1]).toBe("TZID:Europe/Kyiv");
    expect(lines.join("\n")).not.toContain("Kiev");
  });

  it("knows zones newer than any packaged data: America/Ciudad_Juarez (2022)", () => {
    expect(hourlyDisagreements("America/Ciudad_Juarez", 2023, 2023)).toEqual([]);
  });

  it("describes a zone without summer time as one offset", () => {
    const lines = contentLines(vtimezoneFor("Asia/Kolkata", { first: 2026, last: 2026 }));
    expect(lines).toEqual([
      "BEGIN:VTIMEZONE",
      "TZID:Asia/Kolkata",
      "BEGIN:STANDARD",
      "DTSTART:20260101T000000",
      "TZOFFSETFROM:+0530",
      "TZOFFSETTO:+0530",
      "TZNAME:GMT+5:30",
      "END:STANDARD",
      "END:VTIMEZONE",
    ]);
  });

  it("writes yearly rules the way the zone's law does: last Sunday in Europe, second Sunday in New York", () => {
    const rules = (zone: string) =>
      contentLines(vtimezoneFor(zone, { first: 2026, last: 2026 })).filter((line) =>
        line.startsWith("RRULE:"),
      );
    expect(rules("Europe/Brussels")).toEqual([
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    ]);
    expect(rules("America/New_York")).toEqual([
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
      "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    ]);
  });

  it("agrees with the runtime on every zone it knows, every week of a year and around each change", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    expect(zones.length).toBeGreaterThan(400);
    const weeks = hoursOf(2026, 2026).filter(
      (at) => at >= Date.UTC(2026, 0, 2) && (at / HOUR) % (7 * 24) === 12,
    );
    const wrong = zones.flatMap((zone) => {
      const changes = offsetChanges(zone, Date.UTC(2026, 0, 2), Date.UTC(2027, 0, 1));
      const edges = changes.flatMap(({ at }) => [at - SECOND, at, at + HOUR]);
      const vtimezone = vtimezoneFor(zone, { first: 2026, last: 2026 });
      return disagreements(zone, vtimezone, [...weeks, ...edges]).map((at) => `${zone} ${at}`);
    });
    expect(wrong).toEqual([]);
  });
});
