/**
 * What comes after an announcement: change notices, the cancellation and the reminder. Each is a
 * mailing planned and sent by the same path as the announcement (plan-mailing, deliver-mailing),
 * to the subscribers the announcement was sent to, as its ledger records them. The stream tells
 * the announcer of every change; a sweep of the due-time index starts notices and reminders when
 * they are due (sweep-due-mailings).
 */
import type { DueMailings } from "../adapters/dynamodb/due-mailings";
import type { StoredEvent } from "../domain/event";
import {
  type AudiencePage,
  committedSegments,
  eventStatusFor,
  ledgerExpiry,
  type Mailing,
  type MailingKind,
  type MailingRef,
  mailingKindOf,
  noticeBurstOf,
} from "../domain/mailings";
import {
  type MaterialFacts,
  materialChanges,
  materialFactsOf,
  noticePreviousFor,
  reminderDueAt,
  wantsReminderAfterAnnouncement,
  withQuietChange,
} from "../domain/material-change";
import { type AnnounceDeps, announceEvent, announcementOf } from "./announce-event";
import { type MailingRun, runMailing } from "./plan-mailing";

export interface FollowUpDeps extends AnnounceDeps {
  due: DueMailings;
  noticeDelayMinutes: number;
  reminderLeadHours: number;
}

export const cancellationOf = (eventId: string): MailingRef => ({ eventId, mailing: "cancellation" });
export const reminderOf = (eventId: string): MailingRef => ({ eventId, mailing: "reminder" });

/** The announcement, once its plan is committed: only then does anyone hear of the event again. */
const committedAnnouncement = async (deps: FollowUpDeps, eventId: string): Promise<Mailing | undefined> => {
  const announcement = await deps.mailings.get(announcementOf(eventId));
  return announcement?.plan ? announcement : undefined;
};

/**
 * For a notice: what a recipient whose announcement showed `shown` (unknown: undefined) reads as
 * "old", or "none" when they need no notice. `undefined` for the other kinds: everyone, no "old".
 */
type OldFacts = (
  shown: { revision: number; facts: MaterialFacts } | undefined,
) => MaterialFacts | "none" | undefined;

/**
 * Whom the announcement reached: the recipients its ledger records as sent, batch by batch in
 * their language; for a notice, only those whose mail showed what the notice tells otherwise,
 * in pages by what they were shown (each page's "old"); in id order within each language (the
 * announcement read its audience so). Who left since is skipped at send time, like any recipient.
 * A planner going on after a crash skips the ids up to its cursor.
 */
async function* announcedAudience(
  deps: FollowUpDeps,
  announcement: Mailing,
  oldFacts: OldFacts,
): AsyncGenerator<AudiencePage> {
  for await (const batch of deps.ledger.batches(announcement, committedSegments(announcement))) {
    // Recipients by the revision their mail showed: a batch has one or two.
    const byRevision = new Map<string, string[]>();
    for (const id of batch.subscriberIds) {
      const outcome = batch.outcomes[id];
      if (outcome?.status !== "sent") continue;
      const revision = String(outcome.revision ?? "");
      byRevision.set(revision, [...(byRevision.get(revision) ?? []), id]);
    }
    for (const [revision, subscriberIds] of byRevision) {
      const facts = batch.shown?.[revision];
      const old = oldFacts(facts ? { revision: Number(revision), facts } : undefined);
      if (old === "none") continue;
      yield { language: batch.language, subscriberIds, ...(old ? { previous: old } : {}) };
    }
  }
}

/** A notice tells its `previous` facts → the event's: whoever was shown the event's already needs nothing. */
const oldFactsFor = async (
  deps: FollowUpDeps,
  ref: MailingRef,
  kind: MailingKind,
  event: StoredEvent,
): Promise<OldFacts> => {
  const previous = kind === "notice" ? (await deps.mailings.get(ref))?.previous : undefined;
  if (!previous) return () => undefined;
  const burst = noticeBurstOf(ref.mailing);
  return (shown) => noticePreviousFor(shown, burst, previous, event) ?? "none";
};

/** Plans and queues a follow-up mailing to the announcement's recipients (nothing when it was never announced). */
const runFollowUp = async (
  deps: FollowUpDeps,
  event: StoredEvent,
  ref: MailingRef,
  kind: MailingKind,
): Promise<MailingRun | undefined> => {
  const announcement = await committedAnnouncement(deps, event.id);
  if (!announcement) return undefined;
  const oldFacts = await oldFactsFor(deps, ref, kind, event);
  return runMailing(deps, {
    ref,
    kind,
    audience: () => announcedAudience(deps, announcement, oldFacts),
    expiresAt: ledgerExpiry(event),
  });
};

/** The announcement, and the reminder it schedules unless the event is already inside the lead time. */
const announceAndRemind = async (
  deps: FollowUpDeps,
  event: StoredEvent,
  now: string,
): Promise<MailingRun> => {
  const run = await announceEvent(deps, event);
  if (wantsReminderAfterAnnouncement(event, deps.reminderLeadHours, now)) {
    await deps.due.scheduleReminder(event.id, reminderDueAt(event, deps.reminderLeadHours), event.revision);
  }
  return run;
};

export type FollowUp =
  | { action: "announced" | "cancellation"; run: MailingRun }
  | { action: "notice-due"; dueAt: string; changes: string[] }
  | { action: "quiet"; changes: string[] }
  | { action: "none"; reason: string };

/**
 * What a change of an event (its images before and after, from the stream) means for subscribers:
 * the first publication announces it; a cancellation of an announced event sends the
 * cancellation at once; a material change of an announced event makes its notice due the notice
 * delay after this change (later changes of the burst push it on) and moves its reminder.
 */
export const followEventChange = async (
  deps: FollowUpDeps,
  before: StoredEvent | undefined,
  after: StoredEvent,
  now: string,
): Promise<FollowUp> => {
  if (after.status === "published" && (!before || before.status === "draft")) {
    return { action: "announced", run: await announceAndRemind(deps, after, now) };
  }
  if (before?.status !== "published") return { action: "none", reason: "not a published event" };
  if (after.status === "cancelled") {
    const run = await runFollowUp(deps, after, cancellationOf(after.id), "cancellation");
    return run ? { action: "cancellation", run } : { action: "none", reason: "never announced" };
  }
  const changes = materialChanges(before, after);
  if (changes.length === 0) return { action: "none", reason: "no material change" };
  if (!(await committedAnnouncement(deps, after.id))) return { action: "none", reason: "never announced" };
  if (changes.includes("time")) {
    await deps.due.rescheduleReminder(after.id, reminderDueAt(after, deps.reminderLeadHours), after.revision);
  }
  if (after.quietRevision === after.revision) {
    await deps.due.absorbQuietChange(after.id, after.revision, (told) =>
      withQuietChange(told, before, after),
    );
    return { action: "quiet", changes };
  }
  const dueAt = new Date(Date.parse(after.updatedAt) + deps.noticeDelayMinutes * 60_000).toISOString();
  await deps.due.noteMaterialChange(after.id, materialFactsOf(before), after.revision, dueAt);
  return { action: "notice-due", dueAt, changes };
};

/**
 * A mailing someone asked to be planned (the sweep for a notice or a reminder, an editor's resume
 * for an announcement): planned when the event still calls for it, otherwise dropped with the
 * reason, so that it leaves the open set and no redrive asks for it again.
 */
export const runRequestedMailing = async (
  deps: FollowUpDeps,
  ref: MailingRef,
  event: StoredEvent | undefined,
  now: string,
): Promise<MailingRun | { dropped: string }> => {
  const kind = mailingKindOf(ref.mailing);
  // Cancelled (or gone) since: there is nothing left to say but the cancellation. Both are final.
  const required = eventStatusFor(kind);
  if (event?.status !== required) {
    const reason = `the event is ${event?.status ?? "gone"}, not ${required}`;
    await deps.mailings.drop(ref, reason, now);
    return { dropped: reason };
  }
  if (kind === "announcement") return announceAndRemind(deps, event, now);
  const run = await runFollowUp(deps, event, ref, kind);
  if (run) return run;
  await deps.mailings.drop(ref, "the event was never announced", now);
  return { dropped: "the event was never announced" };
};
