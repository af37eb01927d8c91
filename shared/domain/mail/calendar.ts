/**
 * One event as an iCalendar object (RFC 5545, METHOD:PUBLISH) for the announcement mail's
 * attachment and the public API's .ics link. Pure: the same event revision gives the same bytes.
 */
import ical, { ICalCalendarMethod, type ICalEventData, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import { type EventLocation, isAllDay, type LanguageCode, type StoredEvent } from "../event";
import { eventZone } from "../event-time";
import { httpUrl } from "../feeds/html";
import { countryName } from "../i18n";
import { eventTextFor } from "./event-text";
import { mailMessagesFor } from "./messages";
import { singleLine, withoutControlChars } from "./plain-text";
import { vtimezoneFor } from "./vtimezone";

export interface EventCalendarOptions {
  /** The reader's language: event text falls back to `defaultLanguage`, then to any the event has. */
  language: LanguageCode;
  defaultLanguage: LanguageCode;
  seriesName?: string;
  eventUrl: string;
  /** FPI such as "-//EU4Digital//eventcast//EN". */
  productId?: string;
}

export const CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH";

const DEFAULT_PRODUCT_ID = "-//eventcast//eventcast//EN";

/** The UID calendar programs use to recognise the event again when a later revision is imported. */
export const calendarUid = (event: Pick<StoredEvent, "id">): string => `${event.id}@eventcast`;

type Timing = Pick<ICalEventData, "allDay" | "start" | "end" | "timezone"> & { vtimezone?: string };

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: "utc" });

/**
 * All-day events are DATE values with an exclusive end (the day after the inclusive end date).
 * Timed events carry TZID and a VTIMEZONE; without zone data for the zone they are written in UTC,
 * which every calendar program reads correctly, rather than with a TZID nothing defines.
 */
const timingOf = (event: StoredEvent): Timing => {
  if (isAllDay(event)) {
    return { allDay: true, start: utc(event.start), end: utc(event.end).plus({ days: 1 }), timezone: null };
  }
  const zone = eventZone(event);
  const start = DateTime.fromISO(event.start, { zone });
  const end = DateTime.fromISO(event.end, { zone });
  const vtimezone = zone === "UTC" ? undefined : vtimezoneFor(zone);
  if (!vtimezone) return { start: start.toUTC(), end: end.toUTC(), timezone: null };
  return { start, end, timezone: zone, vtimezone };
};

const locationText = (location: EventLocation, language: LanguageCode): string => {
  if (location.type === "online") return httpUrl(location.url) ?? mailMessagesFor(language).online;
  const country = location.country ? countryName(location.country, language) : undefined;
  return [location.name, location.address, location.city, country].filter(Boolean).join(", ");
};

/** The product identifier on one line and with the single leading "-" ical-generator adds itself. */
const productIdValue = (productId: string): string => singleLine(productId).replace(/^-/, "");

/** Renders the event as a complete iCalendar object: CRLF line endings, folded at 75 octets. */
export const renderEventCalendar = (event: StoredEvent, options: EventCalendarOptions): string => {
  const text = eventTextFor(event, options.language, options.defaultLanguage);
  const eventUrl = httpUrl(options.eventUrl);
  const { vtimezone, ...timing } = timingOf(event);
  const calendar = ical({
    prodId: productIdValue(options.productId ?? DEFAULT_PRODUCT_ID),
    method: ICalCalendarMethod.PUBLISH,
  });
  // A generator without a calendar zone name: DTSTAMP and friends stay in UTC.
  if (vtimezone)
    calendar.timezone({ name: null, generator: (zone) => (zone === timing.timezone ? vtimezone : null) });

  const description = [text.summary, eventUrl]
    .filter((part): part is string => Boolean(part))
    .map(withoutControlChars)
    .join("\n\n");
  const location = singleLine(locationText(event.location, options.language));
  const seriesName = options.seriesName ? singleLine(options.seriesName) : "";

  calendar.createEvent({
    ...timing,
    id: calendarUid(event),
    sequence: event.revision,
    // The time this revision was written: stable across renders, so the same revision gives the same file.
    stamp: utc(event.updatedAt),
    created: utc(event.createdAt),
    lastModified: utc(event.updatedAt),
    summary: singleLine(text.title),
    description: description || null,
    location: location || null,
    url: eventUrl ?? null,
    status: event.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    categories: seriesName ? [{ name: seriesName }] : [],
  });
  // ical-generator ends the last line without CRLF; RFC 5545 ends every content line with one.
  return `${calendar.toString()}\r\n`;
};
