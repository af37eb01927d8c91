import type { DeliveryLedger } from "../adapters/dynamodb/delivery-ledger";
import type { MailingStore } from "../adapters/dynamodb/mailing-store";
import { type DeliveryQueue, MESSAGES_PER_REQUEST } from "../adapters/sqs/delivery-queue";
import {
  type AudiencePage,
  type BatchKey,
  batchesOf,
  type Mailing,
  type MailingKind,
  type MailingRef,
  type PlannedBatch,
} from "../domain/mailings";

export interface PlanDeps {
  mailings: MailingStore;
  ledger: DeliveryLedger;
  queue: DeliveryQueue;
  now?: () => string;
}

export interface MailingToPlan {
  ref: MailingRef;
  kind: MailingKind;
  /** Read once, at planning time: who joins later is not added, who leaves later is skipped at send time. */
  audience: () => AsyncIterable<AudiencePage>;
  /** The TTL of the mailing's batches (epoch seconds). */
  expiresAt: number;
}

export interface MailingRun {
  /** Batches this run queued (a rerun after a crash may queue a few again: the claim makes that harmless). */
  queued: number;
  /** Why it did nothing: another run holds the plan, or the mailing was queued before. */
  skipped?: "superseded" | "already-queued" | "dropped";
}

/** Batches written to the ledger at once. */
const PLAN_CHUNK = 25;

/**
 * Plans a mailing durably, then queues it (the outbox): every recipient is written into exactly
 * one batch of the plan, the plan is committed, and only then are the batches' keys queued. A
 * crash while planning starts the planning over under a new epoch (the old epoch's batches are
 * never queued and expire); a crash while queueing goes on from the last batch queued. Running
 * it again for a queued mailing does nothing.
 */
export const runMailing = async (deps: PlanDeps, input: MailingToPlan): Promise<MailingRun> => {
  const clock = deps.now ?? (() => new Date().toISOString());
  let mailing = await deps.mailings.startPlanning(input.ref, input.kind, clock());
  if (mailing.status === "queued") return { queued: 0, skipped: "already-queued" };
  if (mailing.status === "dropped") return { queued: 0, skipped: "dropped" };
  if (mailing.status === "planning") {
    const planned = await planBatches(deps, input, mailing.planEpoch, clock);
    if (!planned) return { queued: 0, skipped: "superseded" };
    mailing = planned;
  }
  return { queued: await queuePlan(deps, mailing, clock) };
};

const planBatches = async (
  deps: PlanDeps,
  input: MailingToPlan,
  epoch: number,
  clock: () => string,
): Promise<Mailing | undefined> => {
  let seq = 0;
  let recipients = 0;
  let chunk: PlannedBatch[] = [];
  // One chunk written while the audience is read on: the plan is ready sooner, committed only once all are written.
  let writing: Promise<void> = Promise.resolve();
  const write = async (batches: PlannedBatch[]) => {
    await writing;
    writing = deps.ledger.putPlanned(batches);
    // Awaited before the next chunk and before the commit; until then its failure must not go unhandled.
    writing.catch(() => {});
  };
  for await (const batch of batchesOf(input.audience())) {
    chunk.push({
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
    if (chunk.length === PLAN_CHUNK) {
      await write(chunk);
      chunk = [];
    }
  }
  await write(chunk);
  await writing;
  const plan = { epoch, batches: seq, recipients, plannedAt: clock() };
  if (!(await deps.mailings.commitPlan(input.ref, plan))) return undefined;
  return (await deps.mailings.get(input.ref)) as Mailing;
};

/** Puts the plan's batches on the queue from where the last run stopped, saving the point after each request. */
const queuePlan = async (deps: PlanDeps, mailing: Mailing, clock: () => string): Promise<number> => {
  const plan = mailing.plan;
  if (!plan) throw new Error(`Mailing ${mailing.eventId}/${mailing.mailing} has no committed plan`);
  let queued = 0;
  for (let from = (mailing.queuedThrough ?? 0) + 1; from <= plan.batches; from += MESSAGES_PER_REQUEST) {
    const through = Math.min(from + MESSAGES_PER_REQUEST - 1, plan.batches);
    const keys: BatchKey[] = [];
    for (let seq = from; seq <= through; seq++) {
      keys.push({ eventId: mailing.eventId, mailing: mailing.mailing, epoch: plan.epoch, seq });
    }
    await deps.queue.enqueue(keys);
    await deps.mailings.saveQueuedThrough(mailing, through);
    queued += keys.length;
  }
  await deps.mailings.markQueued(mailing, clock());
  return queued;
};
