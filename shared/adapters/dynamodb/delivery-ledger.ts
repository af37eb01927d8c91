import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type BatchKey,
  type MailingRef,
  type PlannedBatch,
  type PlanSegment,
  segmentRanges,
} from "../../domain/mailings";

/** Every mailing of an event in one partition, so erasing a person reads one partition per event. */
const partition = (eventId: string) => `DELIVERY#${eventId}`;
const planPrefix = (ref: MailingRef, epoch: number) =>
  `MAILING#${ref.mailing}#${String(epoch).padStart(4, "0")}#`;
const batchKey = (key: BatchKey) => ({
  pk: partition(key.eventId),
  sk: `${planPrefix(key, key.epoch)}${String(key.seq).padStart(6, "0")}`,
});

const toItem = (batch: PlannedBatch) => ({ ...batchKey(batch), entity: "mailing-batch", ...batch });

const fromItem = (item: Record<string, unknown>): PlannedBatch => {
  const { pk: _pk, sk: _sk, entity: _entity, ...batch } = item;
  return batch as unknown as PlannedBatch;
};

export type ClaimResult = { claimed: PlannedBatch } | { claimed?: undefined; current?: PlannedBatch };

/**
 * The outbox and the ledger of every mailing, in the subscribers table: one item per planned batch
 * (an event's mailing, a plan epoch, a sequence number) holding its recipients' ids (never
 * addresses) and, once sent, each recipient's outcome. A batch is written once when planned,
 * claimed (one conditional write) before its bulk call and its outcomes recorded (one write)
 * after it: three writes per 50 mails.
 *
 * The window: a crash after SES accepted a bulk call and before its record leaves the batch
 * "sending". It is never claimed again (at most once); its recipients are listed as in doubt.
 */
export class DeliveryLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes planned batches, all at once: an epoch has one planner, each batch key is written once,
   * and nothing is queued before its segment is committed. (No BatchWriteItem: no function is granted unconditional bulk writes.)
   */
  async putPlanned(batches: PlannedBatch[]): Promise<void> {
    await Promise.all(
      batches.map((batch) =>
        this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(batch) })),
      ),
    );
  }

  async get(key: BatchKey): Promise<PlannedBatch | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: batchKey(key), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /** Takes a planned or failed batch for one bulk call; anything else is left alone and returned as it is. */
  async claim(key: BatchKey, now: string): Promise<ClaimResult> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: batchKey(key),
          UpdateExpression: "SET #status = :sending, claimedAt = :now ADD attempts :one",
          ConditionExpression: "#status IN (:planned, :failed)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":sending": "sending",
            ":planned": "planned",
            ":failed": "failed",
            ":now": now,
            ":one": 1,
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { claimed: fromItem(Attributes as Record<string, unknown>) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return { current: await this.get(key) };
  }

  /**
   * Records the outcomes so far and the batch's new status, only while this claim still holds it:
   * "sending" when another bulk call of the same claim follows, "done" or "failed" after the last.
   * With them, what the mails showed (`shown`): in the same write, so knowing it costs nothing.
   */
  async record(batch: PlannedBatch, claimedAt: string, now: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: batchKey(batch),
        UpdateExpression: `SET #status = :status, outcomes = :outcomes, finishedAt = :now${
          batch.shown ? ", shown = :shown" : ""
        }${batch.lastError ? ", lastError = :lastError" : " REMOVE lastError"}`,
        ConditionExpression: "#status = :sending AND claimedAt = :claimedAt",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":status": batch.status,
          ":outcomes": batch.outcomes,
          ":now": now,
          ":sending": "sending",
          ":claimedAt": claimedAt,
          ...(batch.shown ? { ":shown": batch.shown } : {}),
          ...(batch.lastError ? { ":lastError": batch.lastError } : {}),
        },
      }),
    );
  }

  /**
   * Every committed batch of a plan, in order, a page at a time: what ops see and what a resume
   * re-queues. Each segment's seq range is read under its epoch, so what a superseded planner
   * wrote past its last commit is never read.
   */
  async *batches(ref: MailingRef, segments: PlanSegment[]): AsyncGenerator<PlannedBatch> {
    for (const range of segmentRanges(segments)) {
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :through",
          ExpressionAttributeValues: {
            ":pk": partition(ref.eventId),
            ":from": batchKey({ ...ref, epoch: range.epoch, seq: range.from }).sk,
            ":through": batchKey({ ...ref, epoch: range.epoch, seq: range.through }).sk,
          },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) yield fromItem(item);
    }
  }

  /**
   * Removes one subscriber from every batch of every mailing of an event, ids and outcomes alike
   * (erasing a person). Reads the event's batches that name them (a filtered Query of its partition).
   */
  async forget(eventId: string, subscriberId: string): Promise<void> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk",
        FilterExpression: "contains(subscriberIds, :id)",
        ProjectionExpression: "pk, sk, subscriberIds",
        ExpressionAttributeValues: { ":pk": partition(eventId), ":id": subscriberId },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const position = (item.subscriberIds as string[]).indexOf(subscriberId);
        if (position < 0) continue;
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: `REMOVE subscriberIds[${position}], outcomes.#id`,
            // The list must not have moved since it was read, or the wrong id would go.
            ConditionExpression: `subscriberIds[${position}] = :id`,
            ExpressionAttributeNames: { "#id": subscriberId },
            ExpressionAttributeValues: { ":id": subscriberId },
          }),
        );
      }
    }
  }
}
