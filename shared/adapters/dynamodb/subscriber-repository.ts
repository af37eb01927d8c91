import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { ConflictError } from "../../domain/errors";
import type { Subscriber } from "../../domain/subscriptions/subscriber";
import { AUDIENCE_INDEX } from "./table-schema";

const subscriberKey = (id: string) => ({ pk: `SUBSCRIBER#${id}`, sk: "SUBSCRIBER" });
const rateKey = (id: string, windowStart: number) => ({ pk: `RATE#${id}#${windowStart}`, sk: "RATE" });

const audiencePartition = (language: string) => `AUDIENCE#${language}`;

/** Confirmed subscribers sit in the sparse audience index, one partition per language. */
const toItem = (subscriber: Subscriber): Record<string, unknown> => ({
  ...subscriber,
  ...subscriberKey(subscriber.id),
  entity: "subscriber",
  ...(subscriber.status === "confirmed"
    ? {
        [AUDIENCE_INDEX.partitionKey]: audiencePartition(subscriber.language),
        [AUDIENCE_INDEX.sortKey]: subscriber.id,
      }
    : {}),
});

const fromItem = (item: Record<string, unknown>): Subscriber => {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    audiencePk: _audiencePk,
    audienceSk: _audienceSk,
    ...subscriber
  } = item;
  return subscriber as unknown as Subscriber;
};

export interface AudienceIds {
  subscriberIds: string[];
  /** The id after which the next page starts; absent after the last page. */
  after?: string;
}

/** Where a query of a language's audience goes on after `id`: the index key and the table key of that item. */
const audienceStartKey = (language: string, id: string) => ({
  [AUDIENCE_INDEX.partitionKey]: audiencePartition(language),
  [AUDIENCE_INDEX.sortKey]: id,
  ...subscriberKey(id),
});

/** Subscribers and the per-address request counter, in the subscribers table. */
export class SubscriberRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Subscriber | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: subscriberKey(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /** Writes a subscriber unless someone else changed it since `previous` was read. */
  async save(subscriber: Subscriber, previous: Subscriber | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(subscriber),
          ...(previous
            ? {
                ConditionExpression: "updatedAt = :previous",
                ExpressionAttributeValues: { ":previous": previous.updatedAt },
              }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError("The subscription changed meanwhile; try again");
      }
      throw error;
    }
  }

  async getMany(ids: string[]): Promise<Subscriber[]> {
    const found: Subscriber[] = [];
    for (let start = 0; start < ids.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(start, start + 100).map(subscriberKey);
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []).map(fromItem));
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  /**
   * The ids of one page of the confirmed subscribers of a language who want `series` (or every
   * series), in id order, after `after` when given. Ids only: a plan holds no addresses.
   */
  async audienceIds(language: string, series: string, limit: number, after?: string): Promise<AudienceIds> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: AUDIENCE_INDEX.indexName,
        KeyConditionExpression: `${AUDIENCE_INDEX.partitionKey} = :audience`,
        FilterExpression: "size(series) = :none OR contains(series, :series)",
        ProjectionExpression: AUDIENCE_INDEX.sortKey,
        ExpressionAttributeValues: {
          ":audience": audiencePartition(language),
          ":none": 0,
          ":series": series,
        },
        Limit: limit,
        ExclusiveStartKey: after === undefined ? undefined : audienceStartKey(language, after),
      }),
    );
    const next = page.LastEvaluatedKey?.[AUDIENCE_INDEX.sortKey];
    return {
      subscriberIds: (page.Items ?? []).map((item) => String(item[AUDIENCE_INDEX.sortKey])),
      ...(typeof next === "string" ? { after: next } : {}),
    };
  }

  /** Counts a request for an address within a fixed window; the counter expires with its window. */
  async countRequest(id: string, windowSeconds: number, nowSeconds: number): Promise<number> {
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: rateKey(id, windowStart),
        UpdateExpression: "ADD requests :one SET expiresAt = :expiresAt, entity = :entity",
        ExpressionAttributeValues: {
          ":one": 1,
          ":expiresAt": windowStart + windowSeconds * 2,
          ":entity": "rate",
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return Number(Attributes?.requests ?? 1);
  }

  /**
   * Deletes the record of an address, whatever state it is in, and its request counters (a
   * counter lives two windows, so only the current and the previous one can still exist).
   * Reads nothing back: the caller learns nothing about who was subscribed.
   */
  async erase(id: string, windowSeconds: number, nowSeconds: number): Promise<void> {
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const keys = [subscriberKey(id), rateKey(id, windowStart), rateKey(id, windowStart - windowSeconds)];
    await Promise.all(
      keys.map((Key) => this.client.send(new DeleteCommand({ TableName: this.tableName, Key }))),
    );
  }
}
