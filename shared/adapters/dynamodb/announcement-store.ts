import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

/** Where a fan-out stands: the language it is in and DynamoDB's key of the next audience page. */
export interface FanOutCursor {
  languageIndex: number;
  startKey?: Record<string, unknown>;
}

export interface Announcement {
  eventId: string;
  /** "requested": an editor asked to resume it (the stream hands that to the announcer). */
  status: "fanning-out" | "requested" | "done";
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
    if (existing.status !== "requested") return existing;
    // Back to "fanning-out" first: progress writes must not look like a new request on the stream.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: announcementKey(eventId),
        UpdateExpression: "SET #status = :fanningOut",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":fanningOut": "fanning-out" },
      }),
    );
    return { ...existing, status: "fanning-out" };
  }

  /**
   * Asks for the announcement to be (re)started where it stopped, e.g. after the announcer gave up
   * on a stream record. Returns false when it already reached everyone.
   */
  async requestResume(eventId: string, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: announcementKey(eventId),
          UpdateExpression:
            "SET #status = :requested, requestedAt = :now, entity = :entity, eventId = :eventId, " +
            "#cursor = if_not_exists(#cursor, :start), startedAt = if_not_exists(startedAt, :now), " +
            "batches = if_not_exists(batches, :zero), recipients = if_not_exists(recipients, :zero)",
          ConditionExpression: "attribute_not_exists(pk) OR #status <> :done",
          ExpressionAttributeNames: { "#status": "status", "#cursor": "cursor" },
          ExpressionAttributeValues: {
            ":requested": "requested",
            ":done": "done",
            ":now": now,
            ":entity": "announcement",
            ":eventId": eventId,
            ":start": { languageIndex: 0 },
            ":zero": 0,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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
