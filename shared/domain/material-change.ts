/**
 * What subscribers must hear about after an announcement, and when their reminder is due. Pure:
 * the announcer and the sweep decide with these, the tests call them directly.
 */
import { DateTime } from "luxon";
import { type EventInput, type EventLocation, isAllDay, type StoredEvent } from "./event";
import { eventStartInstant, eventZone } from "./event-time";

/** The facts a calendar entry or a trip depends on: what a notice compares. */
export type MaterialFacts = Pick<EventInput, "start" | "end" | "timeZone" | "location">;

/**
 * - time: start, end, time zone (of a timed event) or all-day ↔ timed;
 * - place: the online link, the venue's name, address, city or country, or online ↔ venue.
 * Cancellation is material too, but has a mailing of its own.
 */
export type MaterialChange = "time" | "place";

export const materialFactsOf = (event: MaterialFacts): MaterialFacts => ({
  start: event.start,
  end: event.end,
  ...(event.timeZone ? { timeZone: event.timeZone } : {}),
  location: event.location,
});

/** The location as far as it is material: translations and the like are text fixes. */
const placeKey = (location: EventLocation): string =>
  location.type === "online"
    ? JSON.stringify(["online", location.url ?? ""])
    : JSON.stringify([
        "venue",
        location.name,
        location.address ?? "",
        location.city ?? "",
        location.country ?? "",
      ]);

const timeKey = (facts: MaterialFacts): string =>
  // An all-day event's dates read the same in any zone: its zone is not material.
  JSON.stringify([facts.start, facts.end, isAllDay(facts) ? "" : eventZone(facts)]);

/** One string per set of material facts, whatever the order of their keys: facts that compare equal share it. */
export const materialKey = (facts: MaterialFacts): string =>
  JSON.stringify([timeKey(facts), placeKey(facts.location)]);

/** What changed materially from `before` to `after`; empty for text fixes and for changes reverted since. */
export const materialChanges = (before: MaterialFacts, after: MaterialFacts): MaterialChange[] => {
  const changes: MaterialChange[] = [];
  if (timeKey(before) !== timeKey(after)) changes.push("time");
  if (placeKey(before.location) !== placeKey(after.location)) changes.push("place");
  return changes;
};

/**
 * What the notice of the burst that began at revision `burst`, telling `previous → now` (`previous`:
 * what subscribers were told before the burst, by the announcement or earlier notices), shows as
 * "old" to a recipient whose announcement showed `shown`. An announcement that went out during the
 * burst (at `burst` or later) is what they know; an earlier one was followed by what `previous` holds
 * (unknown: the same). Only what the notice tells and differs from what they know is "old";
 * undefined when that is nothing: their announcement already showed the change.
 */
export const noticePreviousFor = (
  shown: { revision: number; facts: MaterialFacts } | undefined,
  burst: number,
  previous: MaterialFacts,
  now: MaterialFacts,
): MaterialFacts | undefined => {
  const from = shown && shown.revision >= burst ? shown.facts : previous;
  const told = materialChanges(previous, now);
  const news = materialChanges(from, now).filter((change) => told.includes(change));
  if (news.length === 0) return undefined;
  return withChangesFrom(now, from, news);
};

/**
 * What subscribers count as told after a quiet edit (saved with `?notice=none`) from `before` to
 * `after`: what they were told, with that edit's own material changes taken as told.
 */
export const withQuietChange = (
  told: MaterialFacts,
  before: MaterialFacts,
  after: MaterialFacts,
): MaterialFacts => withChangesFrom(told, after, materialChanges(before, after));

/** `base`, with the time and the place taken from `source` for the kinds of change listed. */
const withChangesFrom = (
  base: MaterialFacts,
  source: MaterialFacts,
  changes: MaterialChange[],
): MaterialFacts => {
  const time = changes.includes("time") ? source : base;
  return materialFactsOf({
    start: time.start,
    end: time.end,
    timeZone: time.timeZone,
    location: changes.includes("place") ? source.location : base.location,
  });
};

/** The local time of an all-day event's reminder, on the day before it starts, in its zone. */
export const ALL_DAY_REMINDER_TIME = "09:00";

/**
 * When the reminder of an event is due, UTC ISO 8601: `leadHours` before a timed event starts;
 * for an all-day event, 09:00 on the day before, in its zone (UTC without one).
 */
export const reminderDueAt = (event: MaterialFacts, leadHours: number): string => {
  if (isAllDay(event)) {
    const dayBefore = DateTime.fromISO(`${event.start}T${ALL_DAY_REMINDER_TIME}`, { zone: eventZone(event) })
      .minus({ days: 1 })
      .toUTC();
    return dayBefore.toISO({ suppressMilliseconds: true }) as string;
  }
  return DateTime.fromISO(eventStartInstant(event), { zone: "utc" })
    .minus({ hours: leadHours })
    .toISO({ suppressMilliseconds: true }) as string;
};

/**
 * What the sweep does with an event's reminder at `now`:
 * - wait until `dueAt` (the event moved later: the reminder moves with it);
 * - send it now: due, or moved inside the lead time, while the event has not started;
 * - drop it: the event started already (moved into the past) or is no longer published.
 */
export type ReminderDecision = { action: "wait"; dueAt: string } | { action: "send" } | { action: "drop" };

export const decideReminder = (
  event: Pick<StoredEvent, "status"> & MaterialFacts,
  leadHours: number,
  now: string,
): ReminderDecision => {
  if (event.status !== "published") return { action: "drop" };
  if (Date.parse(eventStartInstant(event)) <= Date.parse(now)) return { action: "drop" };
  const dueAt = reminderDueAt(event, leadHours);
  return Date.parse(dueAt) > Date.parse(now) ? { action: "wait", dueAt } : { action: "send" };
};

/**
 * Whether an announcement planned at `now` schedules a reminder at all: not when the event is
 * already inside its lead time, where the announcement itself is the reminder.
 */
export const wantsReminderAfterAnnouncement = (
  event: MaterialFacts,
  leadHours: number,
  now: string,
): boolean => Date.parse(reminderDueAt(event, leadHours)) > Date.parse(now);
