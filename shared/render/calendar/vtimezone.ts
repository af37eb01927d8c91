/**
 * VTIMEZONE components (RFC 5545 §3.6.5) generated from the runtime's own zone rules, the same
 * rules our instants come from (domain/zone-offsets), rather than from a packaged copy of the tz
 * database. A packaged copy ages with the package (ours was from 2018, without Europe/Kyiv) and
 * can disagree with the runtime that computes the instants in feeds, the API and mail; packages
 * that stay current (timezones-ical-library) describe only today's rules, from 1970 on, which is
 * wrong for events before a zone's last change (Asia/Baku kept summer time until 2015). Generated
 * components cost no bytes in the bundles and no files at run time, and Node's updates bring new
 * zone rules with them.
 *
 * A component covers the years of the events that refer to it, plus one: each change that
 * recurs every year by month and weekday becomes a yearly RRULE (open-ended when it still
 * recurs, with UNTIL when it stopped), any other change its own observance.
 */
import { DateTime, IANAZone } from "luxon";
import { type OffsetChange, offsetAt, offsetChanges } from "../../domain/zone-offsets";

/** The calendar years, in the zone, that a component must cover. */
export interface ZoneYears {
  first: number;
  last: number;
}

type ObservanceKind = "STANDARD" | "DAYLIGHT";

/** One STANDARD or DAYLIGHT subcomponent: an onset, the offsets, and how it recurs. */
interface Observance {
  kind: ObservanceKind;
  /** The local wall-clock time of the onset, in the offset before it, as milliseconds read as UTC. */
  onset: number;
  before: number;
  after: number;
  name: string;
  rule?: { month: number; byDay: string; until?: number };
}

const MINUTE = 60_000;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;

/** Changes that recur yearly share these: the same offsets at the same time of day. */
const signature = ({ before, after }: OffsetChange, wallClock: Date): string =>
  `${before}/${after}/${wallClock.toISOString().slice(11, 19)}`;

/** The yearly rules a change fits: "3/-1SU" (last Sunday of March), "3/2SU" (second Sunday). */
const rulesFitting = (wallClock: Date): string[] => {
  const month = wallClock.getUTCMonth() + 1;
  const day = wallClock.getUTCDate();
  const weekday = WEEKDAYS[wallClock.getUTCDay()];
  const daysInMonth = new Date(Date.UTC(wallClock.getUTCFullYear(), month, 0)).getUTCDate();
  const rules = [`${month}/${Math.ceil(day / 7)}${weekday}`];
  // "Last" first: it is how the rules of Europe and others are written, and it wins a tie.
  if (day + 7 > daysInMonth) rules.unshift(`${month}/-1${weekday}`);
  return rules;
};

const shortName = (zone: string, at: number): string =>
  IANAZone.create(zone).offsetName(at, { format: "short", locale: "en-GB" }) ?? "";

/** A run of changes, one a year in consecutive years, that one yearly rule describes. */
interface Run {
  changes: OffsetChange[];
  year: number;
  rules: string[];
}

/**
 * The observances that describe the zone from `start` to `end`: the offset in force at `start`,
 * then each change, consecutive yearly changes folded into one rule.
 */
const observances = (zone: string, start: number, end: number, lastYear: number): Observance[] => {
  const changes = offsetChanges(zone, start, end);
  const initial = offsetAt(zone, start);
  const [firstChange] = changes;
  const result: Observance[] = [
    {
      // At `start` the zone is in summer time if its next change puts the clocks back.
      kind: firstChange && firstChange.after < firstChange.before ? "DAYLIGHT" : "STANDARD",
      onset: start + initial * MINUTE,
      before: initial,
      after: initial,
      name: shortName(zone, start),
    },
  ];
  const runs: Run[] = [];
  const open = new Map<string, Run>();
  for (const change of changes) {
    const wallClock = new Date(change.at + change.before * MINUTE);
    const key = signature(change, wallClock);
    const year = wallClock.getUTCFullYear();
    const fitting = rulesFitting(wallClock);
    const run = open.get(key);
    const shared = run && run.year === year - 1 ? run.rules.filter((rule) => fitting.includes(rule)) : [];
    if (run && shared.length > 0) {
      run.changes.push(change);
      run.year = year;
      run.rules = shared;
    } else {
      const started = { changes: [change], year, rules: fitting };
      runs.push(started);
      open.set(key, started);
    }
  }
  for (const run of runs) {
    const [first] = run.changes as [OffsetChange, ...OffsetChange[]];
    const last = run.changes.at(-1) as OffsetChange;
    const [month, byDay] = (run.rules[0] as string).split("/") as [string, string];
    // Still recurring at the end of the span: open-ended, as the zone's rule is today.
    const recurs = run.changes.length > 1 || run.year === lastYear;
    result.push({
      kind: first.after > first.before ? "DAYLIGHT" : "STANDARD",
      onset: first.at + first.before * MINUTE,
      before: first.before,
      after: first.after,
      name: shortName(zone, first.at),
      ...(recurs && {
        rule: { month: Number(month), byDay, ...(run.year !== lastYear && { until: last.at }) },
      }),
    });
  }
  return result.sort((a, b) => a.onset - b.onset);
};

/** "+0530", "-0400": an offset as TZOFFSETFROM and TZOFFSETTO write it. */
const utcOffset = (minutes: number): string => {
  const sign = minutes < 0 ? "-" : "+";
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}${String(absolute % 60).padStart(2, "0")}`;
};

/** A DATE-TIME value without its separators: "20210328T020000" (with "Z" for UTC). */
const dateTime = (millis: number, utc = false): string =>
  `${new Date(millis).toISOString().slice(0, 19).replace(/[-:]/g, "")}${utc ? "Z" : ""}`;

const observanceLines = (observance: Observance): string[] => {
  const { kind, rule } = observance;
  return [
    `BEGIN:${kind}`,
    `DTSTART:${dateTime(observance.onset)}`,
    `TZOFFSETFROM:${utcOffset(observance.before)}`,
    `TZOFFSETTO:${utcOffset(observance.after)}`,
    ...(observance.name ? [`TZNAME:${observance.name}`] : []),
    ...(rule
      ? [
          `RRULE:FREQ=YEARLY;BYMONTH=${rule.month};BYDAY=${rule.byDay}${rule.until === undefined ? "" : `;UNTIL=${dateTime(rule.until, true)}`}`,
        ]
      : []),
    `END:${kind}`,
  ];
};

// Calendars of the same zone and years share one component: a feed render asks for a handful.
const components = new Map<string, string>();

/**
 * The VTIMEZONE for an IANA zone, as CRLF-terminated content lines, with TZID exactly `zone` (so
 * Europe/Kyiv stays Europe/Kyiv, whatever name ICU files it under). It holds the offsets from
 * 1 January of `years.first` to the end of the year after `years.last`, in the zone's local time.
 */
export const vtimezoneFor = (zone: string, years: ZoneYears): string => {
  const key = `${zone}\u0000${years.first}\u0000${years.last}`;
  const cached = components.get(key);
  if (cached) return cached;
  const start = DateTime.fromObject({ year: years.first }, { zone }).toMillis();
  const end = DateTime.fromObject({ year: years.last + 2 }, { zone }).toMillis();
  const lines = [
    "BEGIN:VTIMEZONE",
    `TZID:${zone}`,
    ...observances(zone, start, end, years.last + 1).flatMap(observanceLines),
    "END:VTIMEZONE",
  ];
  const component = lines.map((line) => `${line}\r\n`).join("");
  components.set(key, component);
  return component;
};
