import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

export type ClaimResult = "claimed" | "already-sent" | "in-doubt" | "failed-permanently";

const deliveryKey = (eventId: string, subscriberId: string) => ({
  pk: `DELIVERY#${eventId}`,
  sk: `SUBSCRIBER#${subscriberId}`,
});

/**
 * One row per (event, subscriber): the guard that makes an announcement go out once. A delivery
 * is claimed (conditional write) right before the send and marked sent with SES's message id
 * right after it. A send that surely failed releases its claim so a retry can take it again.
 *
 * The one window: a crash after SES accepted a mail and before `markSent` leaves the row
 * "sending". A retry never resends such a row (at most once: no duplicate, that mail is dropped);
 * `listInDoubt` shows these rows to ops.
 */
export class DeliveryLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** `expiresAt` (epoch seconds) is the row's TTL: once the event is long over, who got it is not kept. */
  async claim(eventId: string, subscriberId: string, now: string, expiresAt: number): Promise<ClaimResult> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deliveryKey(eventId, subscriberId),
            entity: "delivery",
            status: "sending",
            claimedAt: now,
            expiresAt,
          },
          ConditionExpression: "attribute_not_exists(pk) OR #status = :released",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":released": "released" },
        }),
      );
      return "claimed";
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: deliveryKey(eventId, subscriberId),
        ConsistentRead: true,
      }),
    );
    if (Item?.status === "sent") return "already-sent";
    if (Item?.status === "failed") return "failed-permanently";
    return "in-doubt";
  }

  async markSent(eventId: string, subscriberId: string, messageId: string, now: string): Promise<void> {
    await this.setStatus(eventId, subscriberId, "sent", { messageId, sentAt: now });
  }

  /** The send surely did not happen (e.g. throttled): a later attempt may claim it again. */
  async release(eventId: string, subscriberId: string, reason: string): Promise<void> {
    await this.setStatus(eventId, subscriberId, "released", { reason });
  }

  /** SES refused this recipient for good; retrying would not help. */
  async markFailed(eventId: string, subscriberId: string, reason: string): Promise<void> {
    await this.setStatus(eventId, subscriberId, "failed", { reason });
  }

  /** Removes what the ledger knows of one subscriber and one event (erasing a person). */
  async forget(eventId: string, subscriberId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: deliveryKey(eventId, subscriberId) }),
    );
  }

  /** Deliveries of an event left "sending" by a crash: the mails that may not have gone out. */
  async listInDoubt(eventId: string): Promise<{ subscriberId: string; claimedAt: string }[]> {
    const rows: { subscriberId: string; claimedAt: string }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          FilterExpression: "#status = :sending",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":pk": `DELIVERY#${eventId}`, ":sending": "sending" },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        rows.push({
          subscriberId: String(item.sk).replace("SUBSCRIBER#", ""),
          claimedAt: String(item.claimedAt),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return rows;
  }

  private async setStatus(
    eventId: string,
    subscriberId: string,
    status: string,
    fields: Record<string, string>,
  ) {
    const names = Object.keys(fields);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKey(eventId, subscriberId),
        UpdateExpression: `SET #status = :status, ${names.map((name) => `#${name} = :${name}`).join(", ")}`,
        ExpressionAttributeNames: {
          "#status": "status",
          ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
        },
        ExpressionAttributeValues: {
          ":status": status,
          ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])),
        },
      }),
    );
  }
}
