import { ConflictError } from "./errors";
import type { EventInput, StoredEvent } from "./event";

/** Pure state changes of an event. Each raises the revision (the iCalendar SEQUENCE). */

export const draftEvent = (input: EventInput, id: string, now: string): StoredEvent => ({
  ...input,
  id,
  status: "draft",
  createdAt: now,
  updatedAt: now,
  revision: 1,
});

/** The start readers last saw before this edit, once a published event has moved (a draft just changes). */
const previousStartOf = (event: StoredEvent, input: EventInput): string | undefined =>
  event.publishedAt && input.start !== event.start ? event.start : event.previousStart;

/**
 * An edit keeps identity, status and publication date: feed readers see the same item, updated.
 * A quiet edit marks its revision so that no change notice tells its material changes.
 */
export const reviseEvent = (
  event: StoredEvent,
  input: EventInput,
  now: string,
  options: { quiet?: boolean } = {},
): StoredEvent => {
  const previousStart = previousStartOf(event, input);
  return {
    ...input,
    id: event.id,
    status: event.status,
    createdAt: event.createdAt,
    updatedAt: now,
    ...(event.publishedAt ? { publishedAt: event.publishedAt } : {}),
    ...(event.cancelledAt ? { cancelledAt: event.cancelledAt } : {}),
    ...(previousStart && previousStart !== input.start ? { previousStart } : {}),
    revision: event.revision + 1,
    ...(options.quiet ? { quietRevision: event.revision + 1 } : {}),
  };
};

/** Only a draft can be published; publishedAt is set once and is the announcement time. */
export const publishEvent = (event: StoredEvent, now: string): StoredEvent => {
  if (event.status !== "draft") {
    throw new ConflictError(`The event is ${event.status}; only a draft can be published`, "status");
  }
  return {
    ...event,
    status: "published",
    publishedAt: event.publishedAt ?? now,
    updatedAt: now,
    revision: event.revision + 1,
  };
};

/** Only a published event can be cancelled; it stays in the feeds, marked as cancelled. */
export const cancelEvent = (event: StoredEvent, now: string): StoredEvent => {
  if (event.status !== "published") {
    throw new ConflictError(
      `The event is ${event.status}; only a published event can be cancelled`,
      "status",
    );
  }
  return { ...event, status: "cancelled", cancelledAt: now, updatedAt: now, revision: event.revision + 1 };
};
