import type { DeliveryLedger } from "../adapters/dynamodb/delivery-ledger";
import type { MailingStore } from "../adapters/dynamodb/mailing-store";
import { type DeliveryQueue, MESSAGES_PER_REQUEST } from "../adapters/sqs/delivery-queue";
import {
  type AudiencePage,
  afterCursor,
  batchesOf,
  batchGroupOf,
  batchKeysOf,
  committedSegments,
  type Mailing,
  type MailingKind,
  type MailingRef,
  type PlanCursor,
  type PlannedBatch,
  type PlanSegment,
  plannedThrough,
  withSegment,
} from "../domain/mailings";

export interface PlanDeps {
  mailings: MailingStore;
  ledger: DeliveryLedger;
  queue: DeliveryQueue;
  now?: () => string;
  /** Batches per segment, fixed (tests); by default 1, 2, 4, 8, then 10 (one queue request). */
  segmentBatches?: number;
}

export interface MailingToPlan {
  ref: MailingRef;
  kind: MailingKind;
  /**
   * Read at planning time, in id order within each language, from after the cursor's subscriber
   * of each language: who joins later may be added when their id comes after the cursor, who
   * leaves later is skipped at send time.
   */
  audience: (after: PlanCursor) => AsyncIterable<AudiencePage>;
  /** The TTL of the mailing's batches (epoch seconds). */
  expiresAt: number;
}

export interface MailingRun {
  /** Batches this run queued (a rerun after a crash may queue a few again: the claim makes that harmless). */
  queued: number;
  /** Why it did nothing more: another run holds the plan, the mailing was queued before, or dropped. */
  skipped?: "superseded" | "already-queued" | "dropped";
}

/**
 * Plans a mailing durably and queues it as it goes (the outbox), a segment of batches at a time:
 * each segment's batches are written, then committed on the mailing (its seq range, and per
 * language the last subscriber planned) while this run still holds its epoch, and only then
 * queued. A crash goes on, under a new epoch, by queueing what was committed and not known to be
 * queued, then planning after the cursor; what the dead run wrote past its last commit sits under
 * its own epoch, outside every committed range, and expires unread. Running it again for a queued
 * mailing does nothing.
 */
export const runMailing = async (deps: PlanDeps, input: MailingToPlan): Promise<MailingRun> => {
  const clock = deps.now ?? (() => new Date().toISOString());
  const mailing = await deps.mailings.startPlanning(input.ref, input.kind, clock());
  if (mailing.status === "queued") return { queued: 0, skipped: "already-queued" };
  if (mailing.status === "dropped") return { queued: 0, skipped: "dropped" };
  const segments = committedSegments(mailing);
  let queued = await queueCommitted(deps, mailing, segments);
  if (mailing.status === "planning") {
    const planned = await planOn(deps, input, mailing, clock);
    queued += planned.queued;
    if (planned.superseded) return { queued, skipped: "superseded" };
  }
  await deps.mailings.markQueued(mailing, clock());
  return { queued };
};

/** Queues the committed batches a run before this one may not have queued, saving the point after each request. */
const queueCommitted = async (deps: PlanDeps, mailing: Mailing, segments: PlanSegment[]): Promise<number> => {
  const through = plannedThrough(segments);
  let queued = 0;
  for (let from = (mailing.queuedThrough ?? 0) + 1; from <= through; from += MESSAGES_PER_REQUEST) {
    const last = Math.min(from + MESSAGES_PER_REQUEST - 1, through);
    const keys = batchKeysOf(mailing, segments, from, last);
    await deps.queue.enqueue(keys);
    await deps.mailings.saveQueuedThrough(mailing, last);
    queued += keys.length;
  }
  return queued;
};

/**
 * Plans on after the committed segments under the run's epoch, until done or a later run took
 * over; how many batches it queued. One segment is committed and queued while the next is
 * read, so memory holds two segments at most.
 */
const planOn = async (
  deps: PlanDeps,
  input: MailingToPlan,
  mailing: Mailing,
  clock: () => string,
): Promise<{ queued: number; superseded: boolean }> => {
  const epoch = mailing.planEpoch;
  let segments = committedSegments(mailing);
  let seq = plannedThrough(segments);
  // queueCommitted has just queued everything committed before this run.
  let queuedThrough = seq;
  let recipients = mailing.plannedRecipients ?? 0;
  const cursor: PlanCursor = { ...(mailing.cursor ?? {}) };
  let pending: PlannedBatch[] = [];
  let queued = 0;
  let superseded = false;
  let flushing: Promise<void> = Promise.resolve();
  let segmentSize = deps.segmentBatches ?? 1;

  const flush = (last: boolean) => {
    const batches = pending;
    pending = [];
    segments = withSegment(segments, epoch, seq);
    const commit = { epoch, segments, cursor: { ...cursor }, recipients, through: seq };
    flushing = (async () => {
      await deps.ledger.putPlanned(batches);
      const committed = await deps.mailings.commitSegment(input.ref, {
        ...commit,
        queuedThrough,
        ...(last ? { plan: { epoch, batches: commit.through, recipients, plannedAt: clock() } } : {}),
      });
      if (!committed) {
        superseded = true;
        return;
      }
      if (batches.length > 0)
        await deps.queue.enqueue(
          batches.map(({ eventId, mailing, seq }) => ({ eventId, mailing, epoch, seq })),
        );
      queued += batches.length;
      queuedThrough = commit.through;
    })();
    // Awaited before the next segment and at the end; until then its failure must not go unhandled.
    flushing.catch(() => {});
  };

  const after = { ...cursor };
  async function* unplanned() {
    for await (const page of input.audience(after)) yield afterCursor(page, after);
  }
  for await (const batch of batchesOf(unplanned())) {
    pending.push({
      ...input.ref,
      epoch,
      seq: ++seq,
      language: batch.language,
      subscriberIds: batch.subscriberIds,
      ...(batch.previous ? { previous: batch.previous } : {}),
      status: "planned",
      outcomes: {},
      attempts: 0,
      expiresAt: input.expiresAt,
    });
    recipients += batch.subscriberIds.length;
    cursor[batchGroupOf(batch)] = batch.subscriberIds.at(-1) as string;
    if (pending.length === segmentSize) {
      await flushing;
      if (superseded) return { queued, superseded };
      flush(false);
      // Small first segments: sending starts after one batch, and the deliverers' first receives
      // stay small and even, instead of one taking the first ten while the other waits.
      if (!deps.segmentBatches) segmentSize = Math.min(segmentSize * 2, MESSAGES_PER_REQUEST);
    }
  }
  await flushing;
  if (!superseded) flush(true);
  await flushing;
  return { queued, superseded };
};
