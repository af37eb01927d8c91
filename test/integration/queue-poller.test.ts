import { createHash } from "node:crypto";
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AwsServers,
  provisionResources,
  type QueueSpec,
  startAwsServers,
} from "../../local/aws-servers";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { type QueuePollerOptions, startQueuePoller } from "../../local/queue-poller";
import { eventually } from "../support/eventually";

let servers: AwsServers;
let sqs: SQSClient;

beforeAll(async () => {
  servers = await startAwsServers();
  sqs = new SQSClient({
    endpoint: servers.endpoints.sqs,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});

afterAll(async () => {
  sqs?.destroy();
  await servers?.stop();
});

const createQueue = async (spec: QueueSpec) => {
  const { queueUrls } = await provisionResources({
    endpoints: servers.endpoints,
    tableName: "queue-poller-test",
    bucketName: "queue-poller-test",
    queues: [spec],
  });
  return (name: string) => queueUrls[name] ?? "";
};

const send = (queueUrl: string, bodies: string[]) =>
  sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
    }),
  );

const messagesLeft = async (queueUrl: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
};

/** Starts a poller that records every message it is given; the handler decides what fails. */
const poll = async (
  queueUrl: string,
  decide: (record: SQSRecord) => "ok" | "fail" = () => "ok",
  options: Partial<QueuePollerOptions> = {},
) => {
  const received: SQSRecord[] = [];
  const errors: unknown[] = [];
  const poller = await startQueuePoller({
    sqs,
    queueUrl,
    handler: async (event): Promise<SQSBatchResponse> => {
      received.push(...event.Records);
      const failed = event.Records.filter((record) => decide(record) === "fail");
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  const bodies = () => received.map((record) => record.body).sort();
  return { poller, received, bodies, errors };
};

describe("the queue poller", () => {
  it("hands messages to the handler as Lambda SQS records", async () => {
    const queueUrl = (await createQueue({ name: "shape" }))("shape");
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"recipients":50}',
        MessageAttributes: { kind: { DataType: "String", StringValue: "announcement" } },
      }),
    );
    const { poller, received } = await poll(queueUrl);

    const [record] = await eventually(() => {
      expect(received).toHaveLength(1);
      return received;
    });
    await poller.stop();

    expect(record).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: '{"recipients":50}',
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      },
      messageAttributes: {
        kind: { dataType: "String", stringValue: "announcement", stringListValues: [], binaryListValues: [] },
      },
      md5OfBody: createHash("md5").update('{"recipients":50}').digest("hex"),
      md5OfMessageAttributes: expect.any(String),
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:shape",
      awsRegion: LOCAL_REGION,
    });
  });

  it("deletes the messages the handler processed", async () => {
    const queueUrl = (await createQueue({ name: "processed" }))("processed");
    await send(queueUrl, ["a", "b", "c"]);
    const { poller, bodies } = await poll(queueUrl, () => "ok", { batchSize: 2, maxConcurrency: 3 });

    await eventually(() => expect(bodies()).toEqual(["a", "b", "c"]));
    await poller.stop();

    expect(await messagesLeft(queueUrl)).toBe(0);
  });

  it("redelivers only the message listed in batchItemFailures, once its visibility timeout is over", async () => {
    const queueUrl = (await createQueue({ name: "partial", visibilityTimeoutSeconds: 1 }))("partial");
    await send(queueUrl, ["fine-1", "flaky", "fine-2"]);
    const { poller, received, bodies } = await poll(queueUrl, (record) =>
      record.body === "flaky" && record.attributes.ApproximateReceiveCount === "1" ? "fail" : "ok",
    );

    await eventually(() => expect(bodies()).toEqual(["fine-1", "fine-2", "flaky", "flaky"]), 8000);
    await poller.stop();

    const retried = received.filter((record) => record.body === "flaky").at(-1);
    expect(retried?.attributes.ApproximateReceiveCount).toBe("2");
    expect(await messagesLeft(queueUrl)).toBe(0);
  }, 15_000);

  it("deletes none of a batch whose handler throws, so all of it comes back", async () => {
    const queueUrl = (await createQueue({ name: "throwing", visibilityTimeoutSeconds: 1 }))("throwing");
    await send(queueUrl, ["x", "y"]);
    const seen: string[] = [];
    const errors: unknown[] = [];
    const poller = await startQueuePoller({
      sqs,
      queueUrl,
      handler: async (event) => {
        seen.push(
          ...event.Records.map((record) => `${record.body}#${record.attributes.ApproximateReceiveCount}`),
        );
        if (event.Records.some((record) => record.attributes.ApproximateReceiveCount === "1")) {
          throw new Error("deliverer crashed");
        }
      },
      onError: (error) => errors.push(error),
    });

    await eventually(() => expect(seen).toEqual(expect.arrayContaining(["x#2", "y#2"])), 8000);
    await poller.stop();

    expect(seen.filter((entry) => entry.endsWith("#1")).sort()).toEqual(["x#1", "y#1"]);
    expect(errors).toContainEqual(expect.objectContaining({ message: "deliverer crashed" }));
    expect(await messagesLeft(queueUrl)).toBe(0);
  }, 15_000);

  it("lets a message that keeps failing move to the dead-letter queue after maxReceiveCount receives", async () => {
    const queueUrlOf = await createQueue({
      name: "doomed",
      visibilityTimeoutSeconds: 1,
      deadLetter: { name: "doomed-dlq", maxReceiveCount: 2 },
    });
    await send(queueUrlOf("doomed"), ["poison"]);
    const { poller, received } = await poll(queueUrlOf("doomed"), () => "fail");

    const deadLetters = await eventually(async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrlOf("doomed-dlq"), MaxNumberOfMessages: 10 }),
      );
      expect(Messages).toHaveLength(1);
      return Messages;
    }, 10_000);
    await poller.stop();

    expect(deadLetters[0]?.Body).toBe("poison");
    expect(received.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(["1", "2"]);
    expect(await messagesLeft(queueUrlOf("doomed"))).toBe(0);
  }, 15_000);

  it("answers a long poll as soon as a message arrives, as SQS does, not when the wait is over", async () => {
    const queueUrl = (await createQueue({ name: "arrival" }))("arrival");
    const receiving = sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }),
    );
    await send(queueUrl, ["late"]);

    const { Messages } = await receiving;

    expect(Messages?.map((message) => message.Body)).toEqual(["late"]);
  }, 5_000);

  it("answers a long poll with the messages already there, without waiting to fill the batch", async () => {
    const queueUrl = (await createQueue({ name: "few" }))("few");
    await send(queueUrl, ["one", "two", "three"]);

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }),
    );

    expect(Messages?.map((message) => message.Body).sort()).toEqual(["one", "three", "two"]);
  }, 5_000);

  it("stops in the middle of a long poll without waiting for it to end", async () => {
    const queueUrl = (await createQueue({ name: "quiet" }))("quiet");
    const { poller, errors } = await poll(queueUrl, () => "ok", { waitTimeSeconds: 20 });

    await poller.stop();

    expect(errors).toEqual([]);
  });
});
