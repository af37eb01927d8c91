/**
 * When an event happens, as text for people. All-day events are never shown with a time; timed
 * events are shown in their own zone, with its name.
 */
import { type DateTime, type DateTimeFormatOptions, Interval } from "luxon";
import { isAllDay, type LanguageCode } from "../domain/event";
import { type EventTiming, eventZone, parseLocal, rememberByKey } from "../domain/event-time";
import { intlLocaleFor } from "./i18n";

const DATE_FORMAT: DateTimeFormatOptions = { year: "numeric", month: "long", day: "numeric" };
const DATE_TIME_FORMAT: DateTimeFormatOptions = { ...DATE_FORMAT, hour: "2-digit", minute: "2-digit" };

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
export const formatEventWhen = (event: EventTiming, language: LanguageCode): string =>
  rememberedWhen(event.start, event.end, event.timeZone ?? "", language);

const rememberedWhen = rememberByKey((startValue, endValue, timeZone, language) => {
  const event: EventTiming = { start: startValue, end: endValue, timeZone: timeZone || undefined };
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
});

const TIME_FORMAT: DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };

/**
 * A change of when, old → new, for people: "18 March 2021 10:00–12:00 → 14:00–16:00 EET
 * (Europe/Kyiv)" when only the hours of a day changed in one zone, else both whens in full.
 */
export const formatWhenChange = (before: EventTiming, after: EventTiming, language: LanguageCode): string => {
  const full = `${formatEventWhen(before, language)} → ${formatEventWhen(after, language)}`;
  if (isAllDay(before) || isAllDay(after)) return full;
  const locale = intlLocaleFor(language);
  const zone = eventZone(after);
  if (eventZone(before) !== zone) return full;
  const [start0, end0, start1, end1] = [before.start, before.end, after.start, after.end].map((value) =>
    parseLocal(value, zone, locale),
  ) as [DateTime, DateTime, DateTime, DateTime];
  const sameDay = (a: DateTime, b: DateTime) => a.toISODate() === b.toISODate();
  const label0 = zoneLabel(start0, zone);
  const label1 = zoneLabel(start1, zone);
  if (!sameDay(start0, start1) || !sameDay(start0, end0) || !sameDay(start1, end1) || label0 !== label1) {
    return full;
  }
  return `${start0.toLocaleString(DATE_FORMAT)} ${formatRange(start0, end0, TIME_FORMAT)} → ${formatRange(start1, end1, TIME_FORMAT)} ${label1}`;
};
