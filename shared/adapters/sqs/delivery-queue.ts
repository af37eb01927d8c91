import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { BatchKey } from "../../domain/mailings";

/** A delivery queue message names one planned batch: the outbox holds its recipients. */
export const parseDeliveryMessage = (body: string): BatchKey => {
  const value = JSON.parse(body) as Partial<BatchKey>;
  if (
    typeof value.eventId !== "string" ||
    typeof value.mailing !== "string" ||
    !Number.isInteger(value.epoch) ||
    !Number.isInteger(value.seq)
  ) {
    throw new Error("Not a delivery message");
  }
  return {
    eventId: value.eventId,
    mailing: value.mailing,
    epoch: value.epoch as number,
    seq: value.seq as number,
  };
};

/** SQS's batch limit. */
export const MESSAGES_PER_REQUEST = 10;

/** Puts batch keys on the delivery queue, ten to a request, retrying partial failures. */
export class DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(keys: BatchKey[]): Promise<void> {
    for (let start = 0; start < keys.length; start += MESSAGES_PER_REQUEST) {
      let entries = keys.slice(start, start + MESSAGES_PER_REQUEST).map((key, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify({
          eventId: key.eventId,
          mailing: key.mailing,
          epoch: key.epoch,
          seq: key.seq,
        }),
      }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && attempt >= 5) {
          throw new Error(`SQS refused ${entries.length} delivery message(s) after ${attempt} attempts`);
        }
      }
    }
  }
}
