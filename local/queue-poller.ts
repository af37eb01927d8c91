import { setTimeout as delay } from "node:timers/promises";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type {
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from "aws-lambda";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "./local-account";

/** SQS → Lambda: polls a queue and feeds the handler real-shaped events, with partial batch failures. */
export interface QueuePollerOptions {
  /** A client to use, or the endpoint of one to create (and destroy on stop). */
  sqs: SQSClient | string;
  queueUrl: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: aws-lambda's SQSHandler result, so handlers that return nothing fit.
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Messages per invocation; at most 10, what one ReceiveMessage returns. */
  batchSize?: number;
  /** Invocations running at once, like the event source mapping's maximum concurrency. */
  maxConcurrency?: number;
  /**
   * ReceiveMessage's long-poll wait: 20 s by default, as the event source mapping polls. A long poll
   * answers as soon as a message is there (local-aws-sqs patched to do so, patches/).
   */
  waitTimeSeconds?: number;
  /** Gets handler errors and failed receives or deletes; console.error when absent. */
  onError?: (error: unknown) => void;
}

export interface QueuePoller {
  /** Stops polling and waits for the invocations in progress (and their deletes) to finish. */
  stop(): Promise<void>;
}

export const startQueuePoller = async (options: QueuePollerOptions): Promise<QueuePoller> => {
  const ownsClient = typeof options.sqs === "string";
  const client =
    typeof options.sqs === "string"
      ? new SQSClient({ endpoint: options.sqs, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })
      : options.sqs;
  const batchSize = Math.min(options.batchSize ?? 10, 10);
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  const onError =
    options.onError ?? ((error: unknown) => console.error(`queue poller ${options.queueUrl}`, error));
  const source = {
    eventSourceARN: await queueArn(client, options.queueUrl),
    awsRegion: await client.config.region(),
  };
  const stopping = new AbortController();
  /** Deletes still on their way: like Lambda's pollers, the next receive does not wait for them. */
  const deleting = new Set<Promise<void>>();

  const invoke = async (messages: Message[]) => {
    let failed: Set<string>;
    try {
      const response = await options.handler({
        Records: messages.map((message) => toRecord(message, source)),
      });
      failed = new Set(response?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? []);
    } catch (error) {
      onError(error);
      return;
    }
    // Like Lambda, an identifier that names no message in the batch fails the whole batch.
    if ([...failed].some((id) => !messages.some((message) => message.MessageId === id))) {
      onError(new Error(`batchItemFailures name unknown messages: ${[...failed].join(", ")}`));
      return;
    }
    const handled = messages.filter((message) => !failed.has(message.MessageId ?? ""));
    if (handled.length === 0) return;
    const deleted = deleteMessages(client, options.queueUrl, handled)
      .catch(onError)
      .finally(() => deleting.delete(deleted));
    deleting.add(deleted);
  };

  const poll = async () => {
    while (!stopping.signal.aborted) {
      let messages: Message[];
      try {
        const received = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            // local-aws-sqs only reads the older name of the same parameter.
            AttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
          { abortSignal: stopping.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (stopping.signal.aborted) return;
        onError(error);
        await pause(1000, stopping.signal);
        continue;
      }
      if (messages.length > 0) await invoke(messages);
      // Short polling answers at once on an empty queue; do not spin.
      else if (waitTimeSeconds === 0) await pause(50, stopping.signal);
    }
  };

  const workers = Array.from({ length: options.maxConcurrency ?? 2 }, poll);

  return {
    async stop() {
      stopping.abort();
      await Promise.all(workers);
      await Promise.all(deleting);
      if (ownsClient) client.destroy();
    },
  };
};

const queueArn = async (client: SQSClient, queueUrl: string): Promise<string> => {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`No QueueArn for ${queueUrl}`);
  return Attributes.QueueArn;
};

const deleteMessages = async (client: SQSClient, queueUrl: string, messages: Message[]) => {
  const { Failed } = await client.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
      })),
    }),
  );
  if (Failed && Failed.length > 0) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(Failed)}`);
};

const toRecord = (message: Message, source: { eventSourceARN: string; awsRegion: string }): SQSRecord => ({
  messageId: message.MessageId ?? "",
  receiptHandle: message.ReceiptHandle ?? "",
  body: message.Body ?? "",
  attributes: message.Attributes as unknown as SQSRecordAttributes,
  messageAttributes: toLambdaAttributes(message.MessageAttributes ?? {}),
  md5OfBody: message.MD5OfBody ?? "",
  ...(message.MD5OfMessageAttributes && { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
  eventSource: "aws:sqs",
  ...source,
});

/** Lambda spells message attributes in camelCase and carries binary values as base64. */
const toLambdaAttributes = (attributes: NonNullable<Message["MessageAttributes"]>): SQSMessageAttributes =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? "String",
        ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
        ...(value.BinaryValue && { binaryValue: Buffer.from(value.BinaryValue).toString("base64") }),
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  );

const pause = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => {});
