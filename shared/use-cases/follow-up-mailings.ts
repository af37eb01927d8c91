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
  eventStatusFor,
  ledgerExpiry,
  type Mailing,
  type MailingKind,
  type MailingRef,
  mailingKindOf,
} from "../domain/mailings";
import {
  materialChanges,
  materialFactsOf,
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
 * Whom the announcement reached: the recipients its ledger records as sent, batch by batch in
 * their language. Who left since is skipped at send time, like any recipient.
 */
async function* announcedAudience(deps: FollowUpDeps, announcement: Mailing): AsyncGenerator<AudiencePage> {
  const epoch = announcement.plan?.epoch as number;
  for await (const batch of deps.ledger.batches(announcement, epoch)) {
    const sent = batch.subscriberIds.filter((id) => batch.outcomes[id]?.status === "sent");
    if (sent.length > 0) yield { language: batch.language, subscriberIds: sent };
  }
}

/** Plans and queues a follow-up mailing to the announcement's recipients (nothing when it was never announced). */
const runFollowUp = async (
  deps: FollowUpDeps,
  event: StoredEvent,
  ref: MailingRef,
  kind: MailingKind,
): Promise<MailingRun | undefined> => {
  const announcement = await committedAnnouncement(deps, event.id);
  if (!announcement) return undefined;
  return runMailing(deps, {
    ref,
    kind,
    audience: () => announcedAudience(deps, announcement),
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
 * for an announcement): planned when the event still calls for it.
 */
export const runRequestedMailing = async (
  deps: FollowUpDeps,
  ref: MailingRef,
  event: StoredEvent | undefined,
  now: string,
): Promise<MailingRun | undefined> => {
  const kind = mailingKindOf(ref.mailing);
  // Cancelled (or gone) since: there is nothing left to say but the cancellation.
  if (event?.status !== eventStatusFor(kind)) return undefined;
  if (kind === "announcement") return announceAndRemind(deps, event, now);
  return runFollowUp(deps, event, ref, kind);
};
