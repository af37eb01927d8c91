/**
 * When an event happens, as instants (for sorting and upcoming/past) and as text for people.
 * All-day events (`2020-12-14`, end inclusive) stay dates: never shifted by a zone, never shown
 * with a time. Timed events are local date-times read in the event's IANA zone and are shown in
 * that zone, with its name.
 */
import { DateTime, type DateTimeFormatOptions, IANAZone, Interval } from "luxon";
import { type EventInput, isAllDay, type LanguageCode } from "./event";
import { intlLocaleFor } from "./i18n";

export type EventTiming = Pick<EventInput, "start" | "end" | "timeZone">;

const DATE_FORMAT: DateTimeFormatOptions = { year: "numeric", month: "long", day: "numeric" };
const DATE_TIME_FORMAT: DateTimeFormatOptions = { ...DATE_FORMAT, hour: "2-digit", minute: "2-digit" };

/** The zone an event's local values are read in; UTC when it has none (validation requires one for timed events). */
export const eventZone = (event: Pick<EventInput, "timeZone">): string =>
  event.timeZone && IANAZone.create(event.timeZone).isValid ? event.timeZone : "UTC";

const parseLocal = (value: string, zone: string, locale?: string): DateTime => {
  const parsed = DateTime.fromISO(value, { zone, locale });
  if (!parsed.isValid) throw new Error(`Invalid event date "${value}": ${parsed.invalidExplanation}`);
  return parsed;
};

const toInstant = (value: DateTime): string => value.toUTC().toISO({ suppressMilliseconds: true }) as string;

/** The first moment of the event, UTC ISO 8601; all-day events start at midnight in their zone (UTC without one). */
export const eventStartInstant = (event: EventTiming): string =>
  toInstant(parseLocal(event.start, eventZone(event)));

/** The moment the event is over, UTC ISO 8601; for all-day events that is midnight after the (inclusive) end date. */
export const eventEndInstant = (event: EventTiming): string => {
  const end = parseLocal(event.end, eventZone(event));
  return toInstant(isAllDay(event) ? end.plus({ days: 1 }) : end);
};

/** A range the way the locale writes it ("14–16 December 2020"); a single value when both ends are equal. */
const formatRange = (start: DateTime, end: DateTime, format: DateTimeFormatOptions): string =>
  end > start ? Interval.fromDateTimes(start, end).toLocaleString(format) : start.toLocaleString(format);

/** The zone as readers know it ("EET", "GMT+2") and its IANA name, which is never ambiguous. */
const zoneLabel = (start: DateTime, zone: string): string => {
  // toLocaleParts reuses luxon's cached Intl formatters; offsetNameShort builds a new one per call.
  const name =
    start
      .toLocaleParts({ hour: "numeric", timeZoneName: "short" })
      .find((part) => part.type === "timeZoneName")?.value ?? start.toFormat("'UTC'ZZ");
  return name === zone ? name : `${name} (${zone})`;
};

/**
 * When the event happens, for people, in the language's conventions:
 * "14 December 2020", "18 March 2021, 10:00–12:00 EET (Europe/Kyiv)".
 */
export const formatEventWhen = (event: EventTiming, language: LanguageCode): string => {
  const locale = intlLocaleFor(language);
  if (isAllDay(event)) {
    // Dates are formatted as UTC calendar dates so that no zone can move them to another day.
    return formatRange(
      parseLocal(event.start, "UTC", locale),
      parseLocal(event.end, "UTC", locale),
      DATE_FORMAT,
    );
  }
  const zone = eventZone(event);
  const start = parseLocal(event.start, zone, locale);
  const end = parseLocal(event.end, zone, locale);
  return `${formatRange(start, end, DATE_TIME_FORMAT)} ${zoneLabel(start, zone)}`;
};
