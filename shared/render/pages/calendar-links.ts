/**
 * "Add to calendar" links for Google Calendar and Outlook. All-day events stay all-day (dates with
 * an exclusive end); timed events carry their local time and zone (Google's ctz) or UTC (Outlook).
 */
import { DateTime } from "luxon";
import { isAllDay, type StoredEvent } from "../../domain/event";
import { eventEndInstant, eventStartInstant, eventZone } from "../../domain/event-time";

export interface CalendarLinkText {
  title: string;
  details?: string;
  location?: string;
}

const dayAfter = (date: string): string =>
  DateTime.fromISO(date, { zone: "UTC" }).plus({ days: 1 }).toISODate() as string;

const compact = (value: string) => value.replace(/[-:]/g, "");

const withParams = (base: string, params: Record<string, string | undefined>): string => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  return `${base}?${query.toString()}`;
};

/** Google Calendar's event template: local times in `ctz`, or a DATE range for all-day events. */
export const googleCalendarUrl = (event: StoredEvent, text: CalendarLinkText): string => {
  const allDay = isAllDay(event);
  const local = (value: string) =>
    compact(DateTime.fromISO(value, { zone: eventZone(event) }).toFormat("yyyy-MM-dd'T'HH:mm:ss"));
  const dates = allDay
    ? `${compact(event.start)}/${compact(dayAfter(event.end))}`
    : `${local(event.start)}/${local(event.end)}`;
  return withParams("https://calendar.google.com/calendar/render", {
    action: "TEMPLATE",
    text: text.title,
    dates,
    ctz: allDay ? undefined : eventZone(event),
    details: text.details,
    location: text.location,
  });
};

/** Outlook on the web's compose form: UTC instants, or dates with allday=true. */
export const outlookCalendarUrl = (event: StoredEvent, text: CalendarLinkText): string => {
  const allDay = isAllDay(event);
  return withParams("https://outlook.live.com/calendar/0/action/compose", {
    rru: "addevent",
    subject: text.title,
    startdt: allDay ? event.start : eventStartInstant(event),
    enddt: allDay ? dayAfter(event.end) : eventEndInstant(event),
    allday: allDay ? "true" : undefined,
    body: text.details,
    location: text.location,
  });
};
