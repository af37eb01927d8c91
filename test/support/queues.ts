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

/** How many messages the queue holds that a consumer could still receive: visible, or sent and not yet visible. */
const waitingMessages = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesDelayed)
  );
};

/**
 * Receives and deletes every message waiting on the queue, as a consumer would; returns them. A
 * short poll may answer empty while messages wait (SQS samples its servers; locally a message just
 * sent is delayed for a tick), so an empty answer ends the drain only once the queue says it holds
 * nothing to receive.
 */
export const takeAll = async (sqs: SQSClient, queueUrl: string, timeoutMs = 15_000): Promise<Message[]> => {
  const taken: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (Messages.length === 0) {
      const waiting = await waitingMessages(sqs, queueUrl);
      if (waiting === 0) return taken;
      if (Date.now() > deadline)
        throw new Error(`${waiting} messages still wait on ${queueUrl} after ${timeoutMs} ms`);
      continue;
    }
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
