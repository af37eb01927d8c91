/**
 * When an event happens, as instants (for sorting and upcoming/past). All-day events
 * (`2020-12-14`, end inclusive) stay dates: never shifted by a zone. Timed events are local
 * date-times read in the event's IANA zone. How a time reads for people is in render/event-when.
 */
import { DateTime, IANAZone } from "luxon";
import { type EventInput, isAllDay } from "./event";

export type EventTiming = Pick<EventInput, "start" | "end" | "timeZone">;

/** The zone an event's local values are read in; UTC when it has none (validation requires one for timed events). */
export const eventZone = (event: Pick<EventInput, "timeZone">): string =>
  event.timeZone && IANAZone.create(event.timeZone).isValid ? event.timeZone : "UTC";

/** Reads a stored local value in a zone; throws on a value validation should have refused. */
export const parseLocal = (value: string, zone: string, locale?: string): DateTime => {
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
