import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

/** Where a fan-out stands: the language it is in and DynamoDB's key of the next audience page. */
export interface FanOutCursor {
  languageIndex: number;
  startKey?: Record<string, unknown>;
}

export interface Announcement {
  eventId: string;
  status: "fanning-out" | "done";
  startedAt: string;
  finishedAt?: string;
  cursor: FanOutCursor;
  /** Messages put on the delivery queue so far (a resumed fan-out may count a page twice). */
  batches: number;
  recipients: number;
}

const announcementKey = (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: "ANNOUNCEMENT" });

/** The record of an event's announcement: written once, then its fan-out cursor is saved as it goes. */
export class AnnouncementStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Starts the announcement, or returns the one already started (the same stream record twice). */
  async startOrResume(eventId: string, now: string): Promise<Announcement> {
    const fresh: Announcement = {
      eventId,
      status: "fanning-out",
      startedAt: now,
      cursor: { languageIndex: 0 },
      batches: 0,
      recipients: 0,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...announcementKey(eventId), entity: "announcement", ...fresh },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return fresh;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.get(eventId);
    if (!existing) throw new Error(`Announcement of ${eventId} vanished`);
    return existing;
  }

  async get(eventId: string): Promise<Announcement | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: announcementKey(eventId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...announcement } = Item;
    return announcement as Announcement;
  }

  async saveProgress(eventId: string, cursor: FanOutCursor, addedBatches: number, addedRecipients: number) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: announcementKey(eventId),
        UpdateExpression: "SET #cursor = :cursor ADD batches :batches, recipients :recipients",
        ExpressionAttributeNames: { "#cursor": "cursor" },
        ExpressionAttributeValues: {
          ":cursor": cursor,
          ":batches": addedBatches,
          ":recipients": addedRecipients,
        },
      }),
    );
  }

  async finish(eventId: string, now: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: announcementKey(eventId),
        UpdateExpression: "SET #status = :done, finishedAt = :now",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":done": "done", ":now": now },
      }),
    );
  }
}
