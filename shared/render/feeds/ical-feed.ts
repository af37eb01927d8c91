import type { LanguageCode, StoredEvent } from "../../domain/event";
import { type CalendarEntry, renderCalendar, renderCalendarEntry } from "../calendar/calendar";
import type { FeedDocument, FeedItem } from "./types";

export const ICALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8";

/**
 * The event as a calendar entry that says what its feed item says: the item's language, page and
 * series name. Its UID, SEQUENCE and STATUS are those of the event's own .ics, so a program that
 * imported that file recognises the event in the subscription and the other way round.
 */
export const calendarEntryFor = (
  event: StoredEvent,
  item: FeedItem,
  defaultLanguage: LanguageCode,
): CalendarEntry =>
  renderCalendarEntry(event, {
    language: item.language,
    defaultLanguage,
    seriesName: item.event.series.name,
    eventUrl: item.url,
  });

/**
 * The iCalendar subscription (RFC 5545) of a feed: one VEVENT per item, cancelled ones kept with
 * STATUS:CANCELLED so subscribed programs remove or strike them, named after the feed.
 * `entries` are the items' calendar entries, in the items' order.
 */
export const renderIcalFeed = (feed: FeedDocument, entries: readonly CalendarEntry[]): string =>
  renderCalendar(entries, {
    subscription: { name: feed.title, description: feed.description, url: feed.calendarUrl },
  });
