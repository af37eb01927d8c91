/**
 * Events as iCalendar objects (RFC 5545, METHOD:PUBLISH): one event for the announcement mail's
 * attachment and the public API's .ics link, many for the subscription calendars beside the feeds.
 * Each event is rendered once into a VEVENT that any number of calendars can hold.
 * Pure: the same events give the same bytes.
 */
import ical, {
  escape as escapeText,
  foldLines,
  ICalCalendarMethod,
  type ICalEventData,
  ICalEventStatus,
} from "ical-generator";
import { type EventLocation, isAllDay, type LanguageCode, type StoredEvent } from "../../domain/event";
import { eventTextFor } from "../../domain/event-text";
import { eventZone, parseLocal } from "../../domain/event-time";
import { httpUrl } from "../feeds/html";
import { mailMessagesFor } from "../mail/messages";
import { singleLine, withoutControlChars } from "../mail/plain-text";
import { type LineReader, lineText, personLine, venueLine } from "../people-places";
import { vtimezoneFor, type ZoneYears } from "./vtimezone";

/** How one event reads in a calendar. */
export interface CalendarEntryOptions {
  /** The reader's language: event text falls back to `defaultLanguage`, then to any the event has. */
  language: LanguageCode;
  defaultLanguage: LanguageCode;
  seriesName?: string;
  eventUrl: string;
}

export interface CalendarOptions {
  /** FPI such as "-//EU4Digital//eventcast//EN". */
  productId?: string;
  /** For a calendar people subscribe to rather than import once: its name, description and own URL. */
  subscription?: { name: string; description?: string; url?: string };
}

/** One event alone, as the mail attachment and the public API's .ics link carry it. */
export type EventCalendarOptions = CalendarEntryOptions & Pick<CalendarOptions, "productId">;

/** One event rendered for calendars: its VEVENT, and the zone its times refer to. */
export interface CalendarEntry {
  /** Folded content lines from BEGIN:VEVENT to END:VEVENT, each ending in CRLF. */
  vevent: string;
  /** The TZID of its times and the years the calendar's VTIMEZONE must cover; absent for all-day and UTC times. */
  zone?: { tzid: string; years: ZoneYears };
}

export const CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH";

const DEFAULT_PRODUCT_ID = "-//eventcast//eventcast//EN";

/** How often subscribed calendar programs should fetch the calendar again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const SUBSCRIPTION_REFRESH_SECONDS = 3600;

/** The UID calendar programs use to recognise the event again when a later revision is imported. */
export const calendarUid = (event: Pick<StoredEvent, "id">): string => `${event.id}@eventcast`;

type Timing = Pick<ICalEventData, "allDay" | "start" | "end" | "timezone"> & { zone?: CalendarEntry["zone"] };

// Native dates where no zone is involved: ical-generator writes them in UTC, far cheaper than luxon values.
const instant = (iso: string): Date => new Date(iso);

/** A `YYYY-MM-DD` date, `days` later, as midnight UTC: ical-generator writes it as that DATE. */
const utcDate = (date: string, days = 0): Date =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);

/**
 * All-day events are DATE values with an exclusive end (the day after the inclusive end date).
 * Timed events carry their local times with a TZID, which calendar programs read by RFC 5545
 * §3.3.5 as readLocalTime does (a repeated time is its first occurrence), and the VTIMEZONE
 * generated from the same zone rules; UTC events are written in UTC.
 */
const timingOf = (event: StoredEvent): Timing => {
  if (isAllDay(event)) {
    return { allDay: true, start: utcDate(event.start), end: utcDate(event.end, 1), timezone: null };
  }
  const zone = eventZone(event);
  const start = parseLocal(event.start, zone);
  const end = parseLocal(event.end, zone);
  if (zone === "UTC") return { start: start.toUTC(), end: end.toUTC(), timezone: null };
  return { start, end, timezone: zone, zone: { tzid: zone, years: { first: start.year, last: end.year } } };
};

const locationText = (location: EventLocation, reader: LineReader): string =>
  location.type === "venue"
    ? lineText(venueLine(location, reader))
    : (httpUrl(location.url) ?? mailMessagesFor(reader.language).online);

/** The moderator and the speakers as the mail's text part lists them; empty when there are none. */
const peopleText = (event: StoredEvent, reader: LineReader): string => {
  const messages = mailMessagesFor(reader.language);
  const lines = event.moderator
    ? [`${messages.moderator}: ${lineText(personLine(event.moderator, reader))}`]
    : [];
  if (event.speakers.length > 0) {
    lines.push(
      `${messages.speakers}:`,
      ...event.speakers.map((speaker) => `- ${lineText(personLine(speaker, reader))}`),
    );
  }
  return lines.join("\n");
};

/** The product identifier on one line and with the single leading "-" ical-generator adds itself. */
const productIdValue = (productId: string): string => singleLine(productId).replace(/^-/, "");

/** A calendar-level TEXT value (ical-generator writes these as given): one line, escaped. */
const calendarText = (text: string): string => escapeText(singleLine(text), false);

/** The event as one VEVENT, in the reader's language, ready to be placed in any calendar. */
export const renderCalendarEntry = (event: StoredEvent, options: CalendarEntryOptions): CalendarEntry => {
  const reader: LineReader = { language: options.language, defaultLanguage: options.defaultLanguage };
  const text = eventTextFor(event, options.language, options.defaultLanguage);
  const eventUrl = httpUrl(options.eventUrl);
  const { zone, ...timing } = timingOf(event);
  const description = [text.summary, peopleText(event, reader), eventUrl]
    .filter((part): part is string => Boolean(part))
    .map(withoutControlChars)
    .join("\n\n");
  const location = singleLine(locationText(event.location, reader));
  const seriesName = options.seriesName ? singleLine(options.seriesName) : "";

  // A calendar without a zone of its own, so DTSTAMP and friends are written in UTC.
  const vevent = ical()
    .createEvent({
      ...timing,
      id: calendarUid(event),
      sequence: event.revision,
      // The time this revision was written: stable across renders, so the same revision gives the same file.
      stamp: instant(event.updatedAt),
      created: instant(event.createdAt),
      lastModified: instant(event.updatedAt),
      summary: singleLine(text.title),
      description: description || null,
      location: location || null,
      url: eventUrl ?? null,
      status: event.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      categories: seriesName ? [{ name: seriesName }] : [],
    })
    .toString();
  return zone ? { vevent: foldLines(vevent), zone } : { vevent: foldLines(vevent) };
};

/** Each TZID the entries use, with the years from the earliest to the latest time given in it. */
const yearsByZone = (entries: readonly CalendarEntry[]): Map<string, ZoneYears> => {
  const zones = new Map<string, ZoneYears>();
  for (const { zone } of entries) {
    if (!zone) continue;
    const known = zones.get(zone.tzid);
    zones.set(zone.tzid, {
      first: Math.min(known?.first ?? zone.years.first, zone.years.first),
      last: Math.max(known?.last ?? zone.years.last, zone.years.last),
    });
  }
  return zones;
};

/**
 * A complete iCalendar object holding the entries in the order given, with one VTIMEZONE per TZID
 * they use: CRLF line endings, folded at 75 octets. A subscription calendar also carries its name
 * (X-WR-CALNAME), description, source URL and a refresh interval.
 */
export const renderCalendar = (entries: readonly CalendarEntry[], options: CalendarOptions = {}): string => {
  const { subscription } = options;
  const properties = ical({
    prodId: productIdValue(options.productId ?? DEFAULT_PRODUCT_ID),
    method: ICalCalendarMethod.PUBLISH,
    ...(subscription && {
      name: calendarText(subscription.name),
      description: subscription.description ? calendarText(subscription.description) : null,
      source: httpUrl(subscription.url) ?? null,
      ttl: SUBSCRIPTION_REFRESH_SECONDS,
    }),
  })
    .toString()
    .replace(/END:VCALENDAR\s*$/, "");
  // Components follow every calendar property, as RFC 5545's grammar wants; zones sorted so bytes never depend on event order.
  const vtimezoneText = [...yearsByZone(entries)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([tzid, years]) => foldLines(vtimezoneFor(tzid, years)))
    .join("");
  return `${properties}${vtimezoneText}${entries.map((entry) => entry.vevent).join("")}END:VCALENDAR\r\n`;
};

/** The event alone as a complete iCalendar object: the one-event calendar. */
export const renderEventCalendar = (event: StoredEvent, options: EventCalendarOptions): string =>
  renderCalendar([renderCalendarEntry(event, options)], { productId: options.productId });
