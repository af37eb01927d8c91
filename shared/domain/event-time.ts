/**
 * When an event happens, as instants (for sorting and upcoming/past). All-day events
 * (`2020-12-14`, end inclusive) stay dates: never shifted by a zone. Timed events are local
 * date-times read in the event's IANA zone. How a time reads for people is in render/event-when.
 */
import { DateTime, IANAZone } from "luxon";
import { type EventInput, isAllDay } from "./event";
import { offsetChanges } from "./zone-offsets";

export type EventTiming = Pick<EventInput, "start" | "end" | "timeZone">;

/** The zone an event's local values are read in; UTC when it has none (validation requires one for timed events). */
export const eventZone = (event: Pick<EventInput, "timeZone">): string =>
  event.timeZone && IANAZone.create(event.timeZone).isValid ? event.timeZone : "UTC";

/** The wall-clock times either side of a jump of the clocks, as local ISO values ("2021-03-28T02:00"). */
export interface ClockJump {
  from: string;
  to: string;
}

/** How a local date-time reads in a zone: the instant it names, and the jump it falls in if the clocks skip it. */
export interface LocalTime {
  time: DateTime;
  skipped?: ClockJump;
}

const WALL_CLOCK = "yyyy-MM-dd'T'HH:mm:ss";
const MINUTE = 60_000;
/** Offsets stay within ±18 hours of UTC, so a jump over a local time starts and ends within a day of it. */
const DAY = 86_400_000;

const localIso = (wallClockMillis: number): string =>
  DateTime.fromMillis(wallClockMillis, { zone: "utc" }).toFormat("yyyy-MM-dd'T'HH:mm");

/** The jump forward of the clocks over a wall-clock time (milliseconds read as UTC), from the zone's offset changes. */
const jumpOver = (zone: string, wallClock: number): ClockJump | undefined => {
  const change = offsetChanges(zone, wallClock - DAY, wallClock + DAY).find(
    ({ at, before, after }) => at + before * MINUTE <= wallClock && wallClock < at + after * MINUTE,
  );
  return (
    change && {
      from: localIso(change.at + change.before * MINUTE),
      to: localIso(change.at + change.after * MINUTE),
    }
  );
};

/**
 * Reads a local date-time in a zone as RFC 5545 §3.3.5 reads a DATE-TIME with a TZID, so that our
 * instants and every calendar program agree:
 * - a time that happens twice (the repeated hour when the clocks go back) is its first occurrence;
 * - a time the clocks skip is read with the offset before the jump (02:30 becomes 03:30 summer
 *   time) and comes back with `skipped`; validation refuses such times in timed events.
 * Throws on a value that is not a date, which validation should have refused.
 */
export const readLocalTime = (value: string, zone: string, locale?: string): LocalTime => {
  const parsed = DateTime.fromISO(value, { zone, locale });
  if (!parsed.isValid) throw new Error(`Invalid event date "${value}": ${parsed.invalidExplanation}`);
  // Of two readings luxon picks the one with today's offset, so the answer would change with the season.
  const [first = parsed] = parsed.getPossibleOffsets().sort((a, b) => a.toMillis() - b.toMillis());
  const wallClock = DateTime.fromISO(value, { zone: "utc" });
  if (parsed.toFormat(WALL_CLOCK) === wallClock.toFormat(WALL_CLOCK)) return { time: first };
  return { time: parsed, skipped: jumpOver(zone, wallClock.toMillis()) };
};

/** Reads a stored local value in a zone (see readLocalTime); throws on a value validation should have refused. */
export const parseLocal = (value: string, zone: string, locale?: string): DateTime => {
  // DateTimes are immutable: one reading serves every language.
  const time = readStoredLocal(value, zone);
  return locale ? time.setLocale(locale) : time;
};

const toInstant = (value: DateTime): string => value.toUTC().toISO({ suppressMilliseconds: true }) as string;

/**
 * Remembers the answers of a pure function of a few strings: a publish asks for the same event's
 * instants and texts in every page, feed and calendar that lists it, and luxon's zone arithmetic is
 * the costliest part of a render. Bounded: forgets everything past `size` entries.
 */
export const rememberByKey = <T>(compute: (...parts: string[]) => T, size = 10_000) => {
  const answers = new Map<string, T>();
  return (...parts: string[]): T => {
    const key = parts.join("\u0000");
    let answer = answers.get(key);
    if (answer === undefined) {
      if (answers.size >= size) answers.clear();
      answer = compute(...parts);
      answers.set(key, answer);
    }
    return answer;
  };
};

const readStoredLocal = rememberByKey((value, zone) => readLocalTime(value, zone).time);

const startInstant = rememberByKey((start, zone) => toInstant(parseLocal(start, zone)));
const endInstant = rememberByKey((start, end, zone) => {
  const value = parseLocal(end, zone);
  return toInstant(isAllDay({ start }) ? value.plus({ days: 1 }) : value);
});

/** The first moment of the event, UTC ISO 8601; all-day events start at the first moment of their day in their zone (UTC without one). */
export const eventStartInstant = (event: EventTiming): string => startInstant(event.start, eventZone(event));

/** The moment the event is over, UTC ISO 8601; for all-day events that is midnight after the (inclusive) end date. */
export const eventEndInstant = (event: EventTiming): string =>
  endInstant(event.start, event.end, eventZone(event));
