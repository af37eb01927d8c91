import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type {
  CommittedPlan,
  Mailing,
  MailingKind,
  MailingRef,
  PlanCursor,
  PlanSegment,
} from "../../domain/mailings";
import type { MaterialFacts } from "../../domain/material-change";

const mailingKey = (ref: MailingRef) => ({ pk: `EVENT#${ref.eventId}`, sk: `MAILING#${ref.mailing}` });
/** Mailings not yet seen complete sit in gsi1 under this key, so a redrive finds them without a Scan. */
const OPEN_MAILINGS = "MAILING#open";

const fromItem = (item: Record<string, unknown>): Mailing => {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...mailing } = item;
  return mailing as unknown as Mailing;
};

export interface SegmentCommit {
  epoch: number;
  segments: PlanSegment[];
  cursor: PlanCursor;
  recipients: number;
  /** Batches 1…n this run knows are queued. */
  queuedThrough: number;
  /** Set on the last segment: the plan is then whole. */
  plan?: CommittedPlan;
}

/** What every write that may create the record sets, so it is whole whichever write comes first. */
const identity = (ref: MailingRef, kind: MailingKind, now: string) => ({
  expression:
    "entity = :entity, eventId = :eventId, mailing = :mailing, kind = :kind, " +
    "startedAt = if_not_exists(startedAt, :now), gsi1pk = :open, gsi1sk = if_not_exists(gsi1sk, :openKey)",
  values: {
    ":entity": "mailing",
    ":eventId": ref.eventId,
    ":mailing": ref.mailing,
    ":kind": kind,
    ":now": now,
    ":open": OPEN_MAILINGS,
    ":openKey": `${now}#${ref.eventId}#${ref.mailing}`,
  },
});

/**
 * The record of each mailing of an event, in the events table beside the event (its stream hands
 * a request to plan to the announcer): its status, its planning epoch and its committed plan.
 */
export class MailingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(ref: MailingRef): Promise<Mailing | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: mailingKey(ref), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /**
   * Starts a planning run under a new epoch while no plan is committed (a run that died, or one
   * running at the same time, loses its epoch and cannot commit). With a plan committed already,
   * returns the mailing as it is and plans nothing.
   */
  async startPlanning(ref: MailingRef, kind: MailingKind, now: string): Promise<Mailing> {
    const started = await this.updateUncommitted(ref, kind, now, "#status = :planning ADD planEpoch :one", {
      ":one": 1,
    });
    if (started) return started;
    const committed = await this.get(ref);
    if (!committed) throw new Error(`Mailing ${ref.eventId}/${ref.mailing} vanished`);
    return committed;
  }

  /**
   * Commits a segment written under `epoch`, unless a later run took over (true when committed): the
   * segments and cursor so far, how far the run has queued, and with `plan` the whole plan.
   */
  async commitSegment(ref: MailingRef, commit: SegmentCommit): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailingKey(ref),
          // A whole plan needs no cursor: no subscriber id stays in the mailing's record.
          UpdateExpression:
            "SET #segments = :segments, plannedRecipients = :recipients, queuedThrough = :queued" +
            (commit.plan ? ", #status = :planned, #plan = :plan REMOVE #cursor" : ", #cursor = :cursor"),
          // "planned" under the same epoch: this run's own last commit, retried after a lost answer.
          ConditionExpression: "planEpoch = :epoch AND #status IN (:planning, :planned)",
          ExpressionAttributeNames: {
            "#status": "status",
            "#segments": "segments",
            "#cursor": "cursor",
            ...(commit.plan ? { "#plan": "plan" } : {}),
          },
          ExpressionAttributeValues: {
            ":planning": "planning",
            ":planned": "planned",
            ":epoch": commit.epoch,
            ":segments": commit.segments,
            ":recipients": commit.recipients,
            ":queued": commit.queuedThrough,
            ...(commit.plan ? { ":plan": commit.plan } : { ":cursor": commit.cursor }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Commits a whole plan written under its epoch in one segment (nothing of it queued yet). */
  commitPlan(ref: MailingRef, plan: CommittedPlan): Promise<boolean> {
    return this.commitSegment(ref, {
      epoch: plan.epoch,
      segments: plan.batches > 0 ? [{ epoch: plan.epoch, through: plan.batches }] : [],
      cursor: {},
      recipients: plan.recipients,
      queuedThrough: 0,
      plan,
    });
  }

  /** How far the planner got putting the plan's batches on the queue (it goes on from there after a crash). */
  async saveQueuedThrough(ref: MailingRef, seq: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailingKey(ref),
        UpdateExpression: "SET queuedThrough = :seq",
        ExpressionAttributeValues: { ":seq": seq },
      }),
    );
  }

  async markQueued(ref: MailingRef, now: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailingKey(ref),
        UpdateExpression: "SET #status = :queued, queuedAt = :now",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":queued": "queued", ":now": now },
      }),
    );
  }

  /**
   * Asks for the mailing to be planned (again), through the stream, when no plan is committed:
   * it never started, or its planning died. False when a plan is committed (resume its batches instead).
   */
  async requestPlanning(
    ref: MailingRef,
    kind: MailingKind,
    now: string,
    previous?: MaterialFacts,
  ): Promise<boolean> {
    const requested = await this.updateUncommitted(
      ref,
      kind,
      now,
      "#status = :requested, requestedAt = :now, planEpoch = if_not_exists(planEpoch, :zero)" +
        (previous ? ", previous = if_not_exists(previous, :previous)" : ""),
      { ":zero": 0, ...(previous ? { ":previous": previous } : {}) },
    );
    return requested !== undefined;
  }

  /** Writes the record, whole, while no plan is committed; undefined when one is. */
  private async updateUncommitted(
    ref: MailingRef,
    kind: MailingKind,
    now: string,
    change: string,
    changeValues: Record<string, unknown>,
  ): Promise<Mailing | undefined> {
    const { expression, values } = identity(ref, kind, now);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailingKey(ref),
          UpdateExpression: `SET ${expression}, ${change}`,
          ConditionExpression: "attribute_not_exists(pk) OR #status IN (:requested, :planning)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ...values,
            ...changeValues,
            ":planning": "planning",
            ":requested": "requested",
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return fromItem(Attributes as Record<string, unknown>);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Mailings not yet seen complete, oldest first. */
  async *open(): AsyncGenerator<MailingRef> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :open",
        ExpressionAttributeValues: { ":open": OPEN_MAILINGS },
        ProjectionExpression: "eventId, mailing",
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? [])
        yield { eventId: String(item.eventId), mailing: String(item.mailing) };
  }

  /**
   * Closes a mailing that was never planned and never will be (its event was cancelled, or never
   * announced): it leaves the open set for good, saying why. False when a plan is committed.
   */
  async drop(ref: MailingRef, reason: string, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailingKey(ref),
          UpdateExpression: "SET #status = :dropped, dropped = :why REMOVE gsi1pk, gsi1sk",
          ConditionExpression: "#status IN (:requested, :planning)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":dropped": "dropped",
            ":why": { reason, at: now },
            ":requested": "requested",
            ":planning": "planning",
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Every batch of the plan is sent or in doubt: the mailing leaves the open set. */
  async close(ref: MailingRef): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailingKey(ref),
        UpdateExpression: "REMOVE gsi1pk, gsi1sk",
        ConditionExpression: "attribute_exists(pk)",
      }),
    );
  }
}
