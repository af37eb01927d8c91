import { randomUUID } from "node:crypto";
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import { ConflictError, NotFoundError, ValidationError } from "../domain/errors";
import type { StoredEvent } from "../domain/event";
import { cancelEvent, draftEvent, publishEvent, reviseEvent } from "../domain/event-lifecycle";
import { parseEventInput } from "../domain/validate-event";

export interface EditingDeps {
  repository: EventRepository;
  languages: string[];
  now?: () => string;
  newId?: () => string;
}

const clock = (deps: EditingDeps) => (deps.now ?? (() => new Date().toISOString()))();

const requireEvent = async (deps: EditingDeps, id: string): Promise<StoredEvent> => {
  const event = await deps.repository.getEvent(id);
  if (!event) throw new NotFoundError(`No event with id ${id}`);
  return event;
};

const requireSeries = async (deps: EditingDeps, seriesId: string): Promise<void> => {
  if (!(await deps.repository.getSeries(seriesId))) {
    throw new ValidationError([
      { path: "series", message: `no series with id "${seriesId}"; create it first` },
    ]);
  }
};

/** Validates the editor's JSON and stores it as a draft. */
export const createEvent = async (deps: EditingDeps, body: unknown): Promise<StoredEvent> => {
  const input = parseEventInput(body, deps.languages);
  await requireSeries(deps, input.series);
  const event = draftEvent(input, (deps.newId ?? randomUUID)(), clock(deps));
  await deps.repository.createEvent(event);
  return event;
};

/** Replaces an event's content; status and dates of publication are kept. A quiet edit sends no change notice. */
export const updateEvent = async (
  deps: EditingDeps,
  id: string,
  body: unknown,
  options: { quiet?: boolean } = {},
): Promise<StoredEvent> => {
  const previous = await requireEvent(deps, id);
  const input = parseEventInput(body, deps.languages);
  if (input.series !== previous.series) await requireSeries(deps, input.series);
  const next = reviseEvent(previous, input, clock(deps), options);
  await deps.repository.replaceEvent(next, previous);
  return next;
};

const transition =
  (change: (event: StoredEvent, now: string) => StoredEvent) =>
  async (deps: EditingDeps, id: string): Promise<StoredEvent> => {
    const previous = await requireEvent(deps, id);
    const next = change(previous, clock(deps));
    await deps.repository.replaceEvent(next, previous);
    return next;
  };

/** Deletes a draft. Published events are cancelled instead: readers and subscribers have seen them. */
export const deleteDraft = async (deps: EditingDeps, id: string): Promise<void> => {
  const event = await requireEvent(deps, id);
  if (event.status !== "draft") {
    throw new ConflictError(
      `The event is ${event.status}; only a draft can be deleted (cancel it instead)`,
      "status",
    );
  }
  await deps.repository.deleteDraft(event);
};

/** Publishes a draft: the stream then renders the feeds (and announces it to subscribers). */
export const publishStoredEvent = transition(publishEvent);

/** Cancels a published event; it stays in the feeds, marked as cancelled. */
export const cancelStoredEvent = transition(cancelEvent);

export const getEvent = requireEvent;
