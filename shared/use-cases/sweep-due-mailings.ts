/**
 * The periodic sweep: every minute (locally, from the local runtime's clock) it Queries the sparse
 * due-time index for the notices and reminders due by now and asks for their mailings to be
 * planned (through the stream, by the announcer, as any request to plan). It decides from the
 * event as it is now, so moves and cancellations are followed by construction.
 */
import type { DueMailing, DueMailings } from "../adapters/dynamodb/due-mailings";
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { MailingStore } from "../adapters/dynamodb/mailing-store";
import { ConflictError, NotFoundError } from "../domain/errors";
import type { StoredEvent } from "../domain/event";
import { noticeName } from "../domain/mailings";
import {
  decideReminder,
  type MaterialChange,
  materialChanges,
  materialFactsOf,
} from "../domain/material-change";
import { reminderOf } from "./follow-up-mailings";

export interface SweepDeps {
  events: Pick<EventRepository, "getEvent">;
  mailings: Pick<MailingStore, "requestPlanning">;
  due: DueMailings;
  reminderLeadHours: number;
}

export type SweepOutcome =
  | { eventId: string; due: "notice"; action: "requested" | "reverted" | "not-published"; mailing?: string }
  | {
      eventId: string;
      due: "reminder";
      action: "requested" | "moved" | "dropped";
      /** A change notice still waiting for its delay, requested first (its mailing's name). */
      noticeFirst?: string;
    };

/** A due notice: requested when the event still differs from what subscribers were told, then settled. */
const startNotice = async (deps: SweepDeps, due: DueMailing, event: StoredEvent | undefined, now: string) => {
  const baseline = due.baseline;
  if (event?.status !== "published" || !baseline || due.burst === undefined) {
    // A cancelled event's subscribers get the cancellation, which says it all.
    if (event && baseline && due.burst !== undefined)
      await deps.due.settleNotice(due, event.revision, baseline);
    return { eventId: due.eventId, due: "notice", action: "not-published" } as const;
  }
  if (materialChanges(baseline, event).length === 0) {
    await deps.due.settleNotice(due, event.revision, materialFactsOf(event));
    return { eventId: due.eventId, due: "notice", action: "reverted" } as const;
  }
  const mailing = noticeName(due.burst);
  // Idempotent: the notice of a burst has one name, so a sweep that runs again asks for nothing new.
  await deps.mailings.requestPlanning({ eventId: event.id, mailing }, "notice", now, baseline);
  await deps.due.settleNotice(due, event.revision, materialFactsOf(event));
  return { eventId: due.eventId, due: "notice", action: "requested", mailing } as const;
};

const startReminder = async (
  deps: SweepDeps,
  due: DueMailing,
  event: StoredEvent | undefined,
  now: string,
) => {
  const decision = event ? decideReminder(event, deps.reminderLeadHours, now) : ({ action: "drop" } as const);
  if (decision.action === "wait") {
    await deps.due.rescheduleReminder(due.eventId, decision.dueAt, (event as StoredEvent).revision, true);
    return { eventId: due.eventId, due: "reminder", action: "moved" } as const;
  }
  if (decision.action === "drop") {
    await deps.due.settleReminder(due.eventId, "dropped", now);
    return { eventId: due.eventId, due: "reminder", action: "dropped" } as const;
  }
  // A change notice still waiting out its delay goes first, so that "New time: …" comes before
  // "Tomorrow at …": close to the event, telling people now matters more than batching edits.
  const notice = await deps.due.get(due.eventId, "notice");
  const first =
    notice?.baseline && (await deps.due.advanceNotice(due.eventId, now))
      ? await startDue(deps, { ...notice, dueAt: now }, now)
      : undefined;
  await deps.mailings.requestPlanning(reminderOf(due.eventId), "reminder", now);
  await deps.due.settleReminder(due.eventId, "started", now);
  return {
    eventId: due.eventId,
    due: "reminder",
    action: "requested",
    ...(first?.due === "notice" && first.mailing ? { noticeFirst: first.mailing } : {}),
  } as const;
};

/** Starts one due item, read again consistently (the index may lag a write). */
const startDue = async (
  deps: SweepDeps,
  found: DueMailing,
  now: string,
): Promise<SweepOutcome | undefined> => {
  const due = await deps.due.get(found.eventId, found.due);
  if (!due || Date.parse(due.dueAt) > Date.parse(now)) return undefined;
  const event = await deps.events.getEvent(due.eventId);
  return due.due === "notice" ? startNotice(deps, due, event, now) : startReminder(deps, due, event, now);
};

/** Everything due by `now`, each item on its own: one that fails is logged and retried by the next sweep. */
export const sweepDueMailings = async (
  deps: SweepDeps,
  now: string,
  onError: (error: unknown, due: DueMailing) => void = (error) => {
    throw error;
  },
): Promise<SweepOutcome[]> => {
  const outcomes: SweepOutcome[] = [];
  for await (const due of deps.due.dueBy(now)) {
    try {
      const outcome = await startDue(deps, due, now);
      if (outcome) outcomes.push(outcome);
    } catch (error) {
      onError(error, due);
    }
  }
  return outcomes;
};

export interface PendingNotice {
  dueAt: string;
  changes: MaterialChange[];
}

const pendingNoticeOf = async (deps: SweepDeps, eventId: string) => {
  const [due, event] = await Promise.all([deps.due.get(eventId, "notice"), deps.events.getEvent(eventId)]);
  if (!event) throw new NotFoundError(`No event with id ${eventId}`);
  return { due, event };
};

/**
 * Why there is no notice to send or suppress: none pending, or not yet, since a change becomes a
 * pending notice a moment after it is saved (from the table's stream).
 */
const NO_NOTICE_PENDING =
  "No change notice is pending for this event. A material change (time, place, online link) is pending a few seconds after it is saved: GET …/notice shows it";

/** The notice an editor's changes made due, if any: when it goes out and what it will say changed. */
export const pendingNotice = async (deps: SweepDeps, eventId: string): Promise<PendingNotice | undefined> => {
  const { due, event } = await pendingNoticeOf(deps, eventId);
  if (!due?.baseline) return undefined;
  return { dueAt: due.dueAt, changes: materialChanges(due.baseline, event) };
};

/** An editor's "send it now": the pending notice is made due and started at once. */
export const sendNoticeNow = async (deps: SweepDeps, eventId: string, now: string): Promise<SweepOutcome> => {
  const { due } = await pendingNoticeOf(deps, eventId);
  if (!due || !(await deps.due.advanceNotice(eventId, now))) {
    throw new ConflictError(NO_NOTICE_PENDING, "notice");
  }
  const outcome = await startDue(deps, { ...due, dueAt: now }, now);
  if (!outcome) throw new ConflictError(NO_NOTICE_PENDING, "notice");
  return outcome;
};

/** An editor's "don't tell anyone": the pending notice is dropped; what it would have said counts as told. */
export const suppressNotice = async (deps: SweepDeps, eventId: string): Promise<void> => {
  const { due, event } = await pendingNoticeOf(deps, eventId);
  if (!due) throw new ConflictError(NO_NOTICE_PENDING, "notice");
  await deps.due.settleNotice(due, event.revision, materialFactsOf(event));
};
