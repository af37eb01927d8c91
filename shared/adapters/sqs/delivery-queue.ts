import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** One message of the delivery queue: an event and at most 50 of its recipients. */
export interface DeliveryBatch {
  eventId: string;
  subscriberIds: string[];
}

export const parseDeliveryBatch = (body: string): DeliveryBatch => {
  const value = JSON.parse(body) as Partial<DeliveryBatch>;
  if (typeof value.eventId !== "string" || !Array.isArray(value.subscriberIds)) {
    throw new Error("Not a delivery batch");
  }
  return { eventId: value.eventId, subscriberIds: value.subscriberIds.map(String) };
};

/** Puts delivery batches on the queue, ten to a request (SQS's batch limit), retrying partial failures. */
export class DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(batches: DeliveryBatch[]): Promise<void> {
    for (let start = 0; start < batches.length; start += 10) {
      let entries = batches
        .slice(start, start + 10)
        .map((batch, index) => ({ Id: String(index), MessageBody: JSON.stringify(batch) }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && attempt >= 5) {
          throw new Error(`SQS refused ${entries.length} delivery batch(es) after ${attempt} attempts`);
        }
      }
    }
  }
}
