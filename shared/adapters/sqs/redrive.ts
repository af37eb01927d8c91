import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * Moves every message from a dead-letter queue back to the queue it came from, ten at a time:
 * a message is deleted from the DLQ only after the target accepted it, so a crash can at worst
 * send one twice (the delivery ledger makes a second delivery of a batch harmless).
 */
export const redriveMessages = async (
  sqs: SQSClient,
  fromQueueUrl: string,
  toQueueUrl: string,
): Promise<number> => {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: fromQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) return moved;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: toQueueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? "",
          MessageAttributes: message.MessageAttributes,
        })),
      }),
    );
    const accepted = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const toDelete = Messages.flatMap((message, index) =>
      accepted.has(String(index)) ? [{ Id: String(index), ReceiptHandle: message.ReceiptHandle }] : [],
    );
    if (toDelete.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: fromQueueUrl, Entries: toDelete }));
    }
    moved += toDelete.length;
    if (toDelete.length < Messages.length) {
      throw new Error(
        `The target queue refused ${Messages.length - toDelete.length} message(s); they stay in the DLQ`,
      );
    }
  }
};
