/**
 * The words a follow-up mail leads with, in its subject and over its heading, so that an inbox
 * says what happened: a notice names what changed ("New time"), a reminder says when the event is
 * ("Tomorrow at 10:00 EET"). Pure: the choice of words is a function of the facts (and, for a
 * reminder, of the day it is sent in the event's zone), which the tests call directly.
 */
import { DateTime, type DateTimeFormatOptions } from "luxon";
import { isAllDay, type LanguageCode } from "../../domain/event";
import { type EventTiming, eventZone, parseLocal } from "../../domain/event-time";
import { type MaterialFacts, materialChanges } from "../../domain/material-change";
import { intlLocaleFor } from "../i18n";
import { fill, type MailMessages } from "./messages";

/** What a notice's subject says changed: each is a message of its own, so every language words it whole. */
export type NoticeHeadline =
  | "noticeDate"
  | "noticeTime"
  | "noticeDateTime"
  | "noticeVenue"
  | "noticeOnlineLink"
  | "noticeNowOnline"
  | "noticeNowInPerson"
  | "noticeTimeAndPlace"
  | "changedSubject";

/** A local value's calendar date and wall-clock time ("10:00" and "10:00:00" are the same time). */
const dayOf = (value: string): string => value.slice(0, 10);
const clockOf = (value: string): string => {
  const clock = value.slice(11);
  return clock.length === 5 ? `${clock}:00` : clock;
};

/** The hours of an event and the zone they are read in; all-day events have none. */
const hoursOf = (facts: EventTiming): string =>
  isAllDay(facts) ? "" : JSON.stringify([clockOf(facts.start), clockOf(facts.end), eventZone(facts)]);

const whenHeadline = (before: EventTiming, after: EventTiming): NoticeHeadline => {
  const days = dayOf(before.start) !== dayOf(after.start) || dayOf(before.end) !== dayOf(after.end);
  const hours = hoursOf(before) !== hoursOf(after);
  if (days && hours) return "noticeDateTime";
  // The same days and hours written differently still count as the time the notice tells.
  return days ? "noticeDate" : "noticeTime";
};

const whereHeadline = (before: MaterialFacts, after: MaterialFacts): NoticeHeadline => {
  const { location: from } = before;
  const { location: to } = after;
  if (from.type === "online" && to.type === "online") return "noticeOnlineLink";
  if (from.type === "venue" && to.type === "venue") return "noticeVenue";
  return to.type === "online" ? "noticeNowOnline" : "noticeNowInPerson";
};

/**
 * What a notice telling `before → after` leads with: the one kind of fact that changed, precisely
 * (a date, the hours, a venue, the link, online ↔ in person); "New time and place" when both when
 * and where changed; the general "Changed" when nothing material did.
 */
export const noticeHeadline = (before: MaterialFacts, after: MaterialFacts): NoticeHeadline => {
  const changes = materialChanges(before, after);
  if (changes.length > 1) return "noticeTimeAndPlace";
  if (changes[0] === "time") return whenHeadline(before, after);
  if (changes[0] === "place") return whereHeadline(before, after);
  return "changedSubject";
};

/** The date it is at `now` (an instant) where the event happens: what "today" means to its reminder. */
export const eventToday = (event: EventTiming, now: string): string =>
  DateTime.fromISO(now, { zone: "utc" }).setZone(eventZone(event)).toISODate() as string;

/**
 * When a reminder says the event is, from the day it is sent (`today`, in the event's zone): today,
 * tomorrow, or on its date; with the start time and zone for a timed event.
 */
export interface ReminderHeadline {
  day: "today" | "tomorrow" | "date";
  /** A day and month name the nearest such date, which is the right one within half a year; else the year too. */
  withYear: boolean;
  timed: boolean;
}

const HALF_A_YEAR_DAYS = 183;

export const reminderHeadline = (event: EventTiming, today: string): ReminderHeadline => {
  const start = dayOf(event.start);
  const days = DateTime.fromISO(start, { zone: "utc" }).diff(
    DateTime.fromISO(today, { zone: "utc" }),
    "days",
  ).days;
  return {
    day: days === 0 ? "today" : days === 1 ? "tomorrow" : "date",
    withYear: Math.abs(days) > HALF_A_YEAR_DAYS,
    timed: !isAllDay(event),
  };
};

const START_TIME: DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
const DAY_MONTH: DateTimeFormatOptions = { day: "numeric", month: "long" };
const DAY_MONTH_YEAR: DateTimeFormatOptions = { ...DAY_MONTH, year: "numeric" };

/** The reminder's words in a language: "Tomorrow at 10:00 EET", "Сегодня", "On 2 January at 09:30 GMT+4". */
export const reminderWords = (
  event: EventTiming,
  today: string,
  messages: MailMessages,
  language: LanguageCode,
): string => {
  const headline = reminderHeadline(event, today);
  const locale = intlLocaleFor(language);
  // A date as a date, read as UTC so that no zone moves it to another day (as formatEventWhen does).
  const date = parseLocal(dayOf(event.start), "UTC", locale).toLocaleString(
    headline.withYear ? DAY_MONTH_YEAR : DAY_MONTH,
  );
  const time = headline.timed
    ? parseLocal(event.start, eventZone(event), locale).toLocaleString(START_TIME)
    : "";
  const template = {
    today: headline.timed ? messages.reminderTodayAt : messages.reminderToday,
    tomorrow: headline.timed ? messages.reminderTomorrowAt : messages.reminderTomorrow,
    date: headline.timed ? messages.reminderOnAt : messages.reminderOn,
  }[headline.day];
  return fill(template, { date, time });
};
