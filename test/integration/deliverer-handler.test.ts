import type { SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../../shared/adapters/dynamodb/delivery-ledger";
import { EventRepository } from "../../shared/adapters/dynamodb/event-repository";
import { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import { draftEvent, publishEvent } from "../../shared/domain/event-lifecycle";
import { testContext } from "../support/api-gateway-event";
import { useLocalAws } from "../support/local-aws";
import { mailsTo } from "../support/local-mail";
import { saveSubscribers, subscriberRecord } from "../support/subscribers";

let servers: AwsServers;
let handler: typeof import("../../functions/deliverer").handler;
const reader = subscriberRecord("reader@example.org", { language: "ka" });

beforeAll(async () => {
  servers = await useLocalAws({ POWERTOOLS_METRICS_DISABLED: "false" });
  const documents = createDocumentClient();
  const events = new EventRepository(documents, process.env.TABLE_NAME as string);
  await events.putSeries({
    id: "ict",
    translations: { en: { name: "ICT" } },
    updatedAt: "2020-01-01T00:00:00.000Z",
  });
  const draft = draftEvent(
    {
      slug: "handler-event",
      series: "ict",
      start: "2031-01-10",
      end: "2031-01-10",
      location: { type: "online" },
      speakers: [],
      translations: { en: { title: "Handler day" }, ka: { title: "დღე" } },
    },
    "event-1",
    "2030-12-01T09:00:00.000Z",
  );
  await events.createEvent(draft);
  await events.replaceEvent(publishEvent(draft, "2030-12-02T09:00:00.000Z"), draft);
  await saveSubscribers(new SubscriberRepository(documents, process.env.SUBSCRIBERS_TABLE as string), [
    reader,
  ]);
  // As the announcer plans it: one batch of the event's announcement, holding the reader.
  await new DeliveryLedger(documents, process.env.SUBSCRIBERS_TABLE as string).putPlanned([
    {
      eventId: "event-1",
      mailing: "announcement",
      epoch: 1,
      seq: 1,
      language: "ka",
      subscriberIds: [reader.id],
      status: "planned",
      outcomes: {},
      attempts: 0,
      expiresAt: 1_900_000_000,
    },
  ]);
  handler = (await import("../../functions/deliverer")).handler;
});
afterAll(() => servers.stop());

const sqsRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `${messageId}-handle`,
  body,
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "1607940000000",
    SenderId: "AIDAEXAMPLE",
    ApproximateFirstReceiveTimestamp: "1607940000000",
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:eventcast-deliveries",
  awsRegion: "us-east-1",
});

describe("the deliverer Lambda", () => {
  it("sends the planned batch a message names, reports only the unreadable message as failed, and counts the mails sent", async () => {
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const event: SQSEvent = {
      Records: [
        sqsRecord("good", JSON.stringify({ eventId: "event-1", mailing: "announcement", epoch: 1, seq: 1 })),
        sqsRecord("garbled", "not a delivery batch"),
      ],
    };
    const result = await handler(event, testContext).finally(() => stdout.mockRestore());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "garbled" }]);
    const mails = await mailsTo(servers.endpoints.ses, reader.email);
    expect(mails.map((mail) => mail.subject)).toEqual(["დღე"]);
    const emf = written.map((line) => line.trim()).find((line) => line.includes('"MailsSent"'));
    expect(JSON.parse(emf as string)).toMatchObject({
      MailsSent: 1,
      MailsFailed: 0,
      MailsInDoubt: 0,
      service: "eventcast",
    });
  });
});
