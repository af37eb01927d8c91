/** Facts of an event as pages show them and as links and structured data carry them: pure, no markup. */
import { DateTime } from "luxon";
import { type EventLocation, isAllDay, type LanguageCode, type StoredEvent } from "../../domain/event";
import { eventEndInstant, eventZone } from "../../domain/event-time";
import { httpUrl } from "../feeds/html";
import { lineText, venueLine } from "../people-places";

/** Whether the event is over at `now` (judged by its end, never its start). */
export const isOver = (event: StoredEvent, now: Date): boolean =>
  Date.parse(eventEndInstant(event)) <= now.getTime();

/** A start or end for machines: a date alone for all-day events, else local time with its UTC offset. */
export const isoWithOffset = (event: StoredEvent, value: string): string =>
  isAllDay(event)
    ? value
    : (DateTime.fromISO(value, { zone: eventZone(event) }).toISO({ suppressMilliseconds: true }) as string);

/** The event zone's UTC offset at the start, in minutes (+180 for Kyiv in summer). */
export const startOffsetMinutes = (event: StoredEvent): number =>
  DateTime.fromISO(event.start, { zone: eventZone(event) }).offset;

/** A venue as one line of plain text in the language, by the fallback rule ("Hall A, Tbilisi, Georgia"). */
export const venueText = (
  location: Extract<EventLocation, { type: "venue" }>,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
) => lineText(venueLine(location, { language, defaultLanguage }));

/** The online link, when it is a real http(s) URL. */
export const onlineUrl = (location: EventLocation): string | undefined =>
  location.type === "online" ? httpUrl(location.url) : undefined;
