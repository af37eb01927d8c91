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
import { DateTime } from "luxon";
import { type EventLocation, isAllDay, type LanguageCode, type StoredEvent } from "../../domain/event";
import { eventTextFor } from "../../domain/event-text";
import { eventZone } from "../../domain/event-time";
import { httpUrl } from "../feeds/html";
import { countryName } from "../i18n";
import { mailMessagesFor } from "../mail/messages";
import { singleLine, withoutControlChars } from "../mail/plain-text";
import { vtimezoneFor } from "./vtimezone";

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
  /** The TZID of its times and the VTIMEZONE defining it; absent for all-day and UTC times. */
  zone?: { tzid: string; vtimezone: string };
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

// The zone data is read from a file per lookup; a feed of thousands of events uses a handful of zones.
const vtimezones = new Map<string, string | undefined>();

/** The zone's VTIMEZONE as folded CRLF lines, or undefined when the zone data lacks it. */
const vtimezoneLines = (zone: string): string | undefined => {
  if (!vtimezones.has(zone)) {
    const component = vtimezoneFor(zone);
    vtimezones.set(
      zone,
      component && foldLines(`${component.replace(/\r\n?/g, "\n").trim().replace(/\n/g, "\r\n")}\r\n`),
    );
  }
  return vtimezones.get(zone);
};

/**
 * All-day events are DATE values with an exclusive end (the day after the inclusive end date).
 * Timed events carry TZID and a VTIMEZONE; without zone data for the zone they are written in UTC,
 * which every calendar program reads correctly, rather than with a TZID nothing defines.
 */
const timingOf = (event: StoredEvent): Timing => {
  if (isAllDay(event)) {
    return { allDay: true, start: utcDate(event.start), end: utcDate(event.end, 1), timezone: null };
  }
  const zone = eventZone(event);
  const start = DateTime.fromISO(event.start, { zone });
  const end = DateTime.fromISO(event.end, { zone });
  const vtimezone = zone === "UTC" ? undefined : vtimezoneLines(zone);
  if (!vtimezone) return { start: start.toUTC(), end: end.toUTC(), timezone: null };
  return { start, end, timezone: zone, zone: { tzid: zone, vtimezone } };
};

const locationText = (location: EventLocation, language: LanguageCode): string => {
  if (location.type === "online") return httpUrl(location.url) ?? mailMessagesFor(language).online;
  const country = location.country ? countryName(location.country, language) : undefined;
  return [location.name, location.address, location.city, country].filter(Boolean).join(", ");
};

/** The product identifier on one line and with the single leading "-" ical-generator adds itself. */
const productIdValue = (productId: string): string => singleLine(productId).replace(/^-/, "");

/** A calendar-level TEXT value (ical-generator writes these as given): one line, escaped. */
const calendarText = (text: string): string => escapeText(singleLine(text), false);

/** The event as one VEVENT, in the reader's language, ready to be placed in any calendar. */
export const renderCalendarEntry = (event: StoredEvent, options: CalendarEntryOptions): CalendarEntry => {
  const text = eventTextFor(event, options.language, options.defaultLanguage);
  const eventUrl = httpUrl(options.eventUrl);
  const { zone, ...timing } = timingOf(event);
  const description = [text.summary, eventUrl]
    .filter((part): part is string => Boolean(part))
    .map(withoutControlChars)
    .join("\n\n");
  const location = singleLine(locationText(event.location, options.language));
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
  const zones = new Map(entries.flatMap(({ zone }) => (zone ? [[zone.tzid, zone.vtimezone] as const] : [])));
  const vtimezoneText = [...zones]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, vtimezone]) => vtimezone)
    .join("");
  return `${properties}${vtimezoneText}${entries.map((entry) => entry.vevent).join("")}END:VCALENDAR\r\n`;
};

/** The event alone as a complete iCalendar object: the one-event calendar. */
export const renderEventCalendar = (event: StoredEvent, options: EventCalendarOptions): string =>
  renderCalendar([renderCalendarEntry(event, options)], { productId: options.productId });
