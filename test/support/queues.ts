import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { expect } from "vitest";
import { eventually } from "./eventually";

/** Waits until a queue holds nothing, delayed, waiting or in flight: every message was handled and deleted. */
export const queueDrained = (sqs: SQSClient, queueUrl: string, timeoutMs = 15_000): Promise<void> =>
  eventually(async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          // A message just sent counts as delayed until its (zero) delay is over, locally as on AWS.
          "ApproximateNumberOfMessagesDelayed",
        ],
      }),
    );
    const counts = [
      Attributes?.ApproximateNumberOfMessages,
      Attributes?.ApproximateNumberOfMessagesNotVisible,
      Attributes?.ApproximateNumberOfMessagesDelayed,
    ].map(Number);
    expect(counts).toEqual([0, 0, 0]);
  }, timeoutMs);

/** Receives and deletes every message waiting on the queue, as a consumer would; returns them. */
export const takeAll = async (sqs: SQSClient, queueUrl: string): Promise<Message[]> => {
  const taken: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (Messages.length === 0) return taken;
    taken.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
};
