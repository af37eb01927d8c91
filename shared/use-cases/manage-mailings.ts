import type { DeliveryLedger } from "../adapters/dynamodb/delivery-ledger";
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { MailingStore } from "../adapters/dynamodb/mailing-store";
import type { DeliveryQueue } from "../adapters/sqs/delivery-queue";
import { ConflictError, NotFoundError } from "../domain/errors";
import {
  type BatchKey,
  type BatchState,
  batchState,
  committedSegments,
  isUnsent,
  type Mailing,
  type MailingKind,
  type MailingRef,
  type MailingStatus,
  type PlannedBatch,
  pendingRecipients,
} from "../domain/mailings";
import { announcementOf } from "./announce-event";

export interface ResumeDeps {
  mailings: MailingStore;
  ledger: DeliveryLedger;
  queue: DeliveryQueue;
  now?: () => string;
}

export interface ResumeResult extends MailingRef {
  /**
   * "requeued": unsent batches of the plan are back on the queue; "planning": the plan is being
   * made (on): the unsent batches of its committed segments, if any, are back on the queue too.
   */
  action: "requeued" | "planning";
  requeued: { batch: number; language: string; recipients: number }[];
  recipients: number;
}

/**
 * Resumes a mailing whatever happened to the queue (a crash, a purge, messages aged out of the
 * dead-letter queue): every committed batch not sent yet goes back on the queue (one already there
 * is then delivered once: the claim stops the second); while the plan is not whole, planning is
 * requested to go on after its last committed segment. ConflictError when the whole plan was sent
 * or is in doubt.
 */
export const resumeMailing = async (
  deps: ResumeDeps,
  ref: MailingRef,
  kind: MailingKind,
): Promise<ResumeResult> => {
  const now = (deps.now ?? (() => new Date().toISOString()))();
  let mailing = await deps.mailings.get(ref);
  let planning = false;
  if (!mailing?.plan) {
    planning = await deps.mailings.requestPlanning(ref, mailing?.kind ?? kind, now);
    // Read after the request: the segments committed by then are this resume's to re-queue.
    mailing = (await deps.mailings.get(ref)) as Mailing;
    if (mailing.status === "dropped") {
      throw new ConflictError(
        `The ${ref.mailing} was dropped: ${mailing.dropped?.reason ?? "no reason kept"}`,
      );
    }
  }
  const segments = committedSegments(mailing);
  const unsent: ResumeResult["requeued"] = [];
  const keys: BatchKey[] = [];
  const done = { sent: 0, inDoubt: 0 };
  for await (const batch of deps.ledger.batches(ref, segments)) {
    if (!isUnsent(batch)) {
      done[batch.status === "sending" ? "inDoubt" : "sent"]++;
      continue;
    }
    unsent.push({ batch: batch.seq, language: batch.language, recipients: pendingRecipients(batch).length });
    keys.push({ ...ref, epoch: batch.epoch, seq: batch.seq });
  }
  if (keys.length === 0 && !planning) {
    await deps.mailings.close(ref);
    throw new ConflictError(
      `The ${ref.mailing} already reached every subscriber of its plan: ${done.sent} batch(es) sent` +
        (done.inDoubt ? `, ${done.inDoubt} in doubt (never resent)` : ""),
    );
  }
  if (keys.length > 0) await deps.queue.enqueue(keys);
  if (!planning && mailing.status !== "queued") await deps.mailings.markQueued(ref, now);
  return {
    ...ref,
    action: planning ? "planning" : "requeued",
    requeued: unsent,
    recipients: unsent.reduce((sum, batch) => sum + batch.recipients, 0),
  };
};

/** An editor's (or ops') way to resume an event's announcement: POST /api/admin/events/{id}/announce. */
export const resumeAnnouncement = async (
  deps: ResumeDeps & { events: EventRepository },
  eventId: string,
): Promise<ResumeResult> => {
  const event = await deps.events.getEvent(eventId);
  if (!event) throw new NotFoundError(`No event with id ${eventId}`);
  if (event.status !== "published") {
    throw new ConflictError(`The event is ${event.status}; only a published event is announced`, "status");
  }
  return resumeMailing(deps, announcementOf(eventId), "announcement");
};

export type OpenMailingOutcome =
  | (ResumeResult & { complete?: false })
  | (MailingRef & { complete: true; detail: string });

/** `npm run redrive`: resumes every mailing not yet seen complete; those complete leave the open set. */
export const resumeOpenMailings = async (deps: ResumeDeps): Promise<OpenMailingOutcome[]> => {
  const outcomes: OpenMailingOutcome[] = [];
  for await (const ref of deps.mailings.open()) {
    try {
      outcomes.push(await resumeMailing(deps, ref, "announcement"));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      outcomes.push({ ...ref, complete: true, detail: error.message });
    }
  }
  return outcomes;
};

export interface MailingStatusView extends MailingRef {
  /** null before the mailing started. */
  status: MailingStatus | null;
  /** Why a mailing was dropped before it was planned (its event cancelled, or never announced), and when. */
  dropped?: { reason: string; at: string };
  startedAt?: string;
  plannedAt?: string;
  queuedAt?: string;
  /** Batches by state: planned (not tried), sent, failed (to be retried), in doubt (never resent). */
  batches: Record<BatchState, number>;
  recipients: {
    planned: number;
    sent: number;
    refused: number;
    skipped: number;
    pending: number;
    inDoubt: number;
  };
  plan: {
    batch: number;
    language: string;
    state: BatchState;
    recipients: number;
    sent: number;
    refused: number;
    skipped: number;
    attempts: number;
    claimedAt?: string;
    finishedAt?: string;
    lastError?: string;
  }[];
  /**
   * Recipients of batches claimed and not recorded: being sent right now when claimed seconds
   * ago; otherwise left by a crash between SES and the ledger (never resent; README, "The window").
   */
  inDoubt: { subscriberId: string; batch: number; claimedAt: string }[];
}

const count = (batch: PlannedBatch, status: "sent" | "refused" | "skipped") =>
  Object.values(batch.outcomes).filter((outcome) => outcome.status === status).length;

/** What ops look at when a mailing seems stuck or a mail seems missing. */
export const mailingStatus = async (
  deps: { mailings: MailingStore; ledger: DeliveryLedger },
  ref: MailingRef,
): Promise<MailingStatusView> => {
  const mailing = await deps.mailings.get(ref);
  const view: MailingStatusView = {
    ...ref,
    status: mailing?.status ?? null,
    ...(mailing?.startedAt ? { startedAt: mailing.startedAt } : {}),
    ...(mailing?.plan ? { plannedAt: mailing.plan.plannedAt } : {}),
    ...(mailing?.queuedAt ? { queuedAt: mailing.queuedAt } : {}),
    ...(mailing?.dropped ? { dropped: mailing.dropped } : {}),
    batches: { planned: 0, sent: 0, failed: 0, "in-doubt": 0 },
    recipients: { planned: 0, sent: 0, refused: 0, skipped: 0, pending: 0, inDoubt: 0 },
    plan: [],
    inDoubt: [],
  };
  for await (const batch of deps.ledger.batches(ref, committedSegments(mailing))) {
    const state = batchState(batch);
    const pending = pendingRecipients(batch);
    view.batches[state]++;
    view.recipients.planned += batch.subscriberIds.length;
    view.recipients.sent += count(batch, "sent");
    view.recipients.refused += count(batch, "refused");
    view.recipients.skipped += count(batch, "skipped");
    if (state === "in-doubt") {
      view.recipients.inDoubt += pending.length;
      for (const subscriberId of pending) {
        view.inDoubt.push({ subscriberId, batch: batch.seq, claimedAt: batch.claimedAt as string });
      }
    } else view.recipients.pending += pending.length;
    view.plan.push({
      batch: batch.seq,
      language: batch.language,
      state,
      recipients: batch.subscriberIds.length,
      sent: count(batch, "sent"),
      refused: count(batch, "refused"),
      skipped: count(batch, "skipped"),
      attempts: batch.attempts,
      ...(batch.claimedAt ? { claimedAt: batch.claimedAt } : {}),
      ...(batch.finishedAt ? { finishedAt: batch.finishedAt } : {}),
      ...(batch.lastError ? { lastError: batch.lastError } : {}),
    });
  }
  return view;
};

/** GET /api/admin/events/{id}/announcement. */
export const announcementStatus = async (
  deps: { events: EventRepository; mailings: MailingStore; ledger: DeliveryLedger },
  eventId: string,
): Promise<MailingStatusView> => {
  if (!(await deps.events.getEvent(eventId))) throw new NotFoundError(`No event with id ${eventId}`);
  return mailingStatus(deps, announcementOf(eventId));
};

/** An existing mailing of an event by name ("notice-7", "cancellation", "reminder", …); 404 for any other. */
const existingMailing = async (deps: { mailings: MailingStore }, eventId: string, name: string) => {
  const known = /^(announcement|cancellation|reminder|notice-\d{1,12})$/.test(name);
  const mailing = known ? await deps.mailings.get({ eventId, mailing: name }) : undefined;
  if (!mailing) throw new NotFoundError(`Event ${eventId} has no mailing "${name}"`);
  return mailing;
};

/** GET /api/admin/events/{id}/mailings/{mailing}: any mailing's plan, as the announcement's. */
export const namedMailingStatus = async (
  deps: { mailings: MailingStore; ledger: DeliveryLedger },
  eventId: string,
  name: string,
): Promise<MailingStatusView> => {
  const mailing = await existingMailing(deps, eventId, name);
  return mailingStatus(deps, mailing);
};

/**
 * POST /api/admin/events/{id}/mailings/{mailing}/resume: resumes a notice, cancellation or reminder
 * that stopped. A cancelled event's cancellation may be asked for before it exists (its stream record
 * was given up on): it is then planned, to the announcement's recipients, as the stream would have.
 */
export const resumeNamedMailing = async (
  deps: ResumeDeps & { events: EventRepository },
  eventId: string,
  name: string,
): Promise<ResumeResult> => {
  const ref = { eventId, mailing: name };
  if (name === "cancellation" && !(await deps.mailings.get(ref))) {
    const event = await deps.events.getEvent(eventId);
    if (event?.status === "cancelled") return resumeMailing(deps, ref, "cancellation");
  }
  const mailing = await existingMailing(deps, eventId, name);
  return resumeMailing(deps, ref, mailing.kind);
};
