import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { SNSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import { loadConfig } from "../../shared/config";
import type { ActiveSubscriber, Subscriber } from "../../shared/domain/subscriptions/subscriber";
import { testContext } from "../support/api-gateway-event";
import { useLocalAws } from "../support/local-aws";
import { audienceIds, subscriberRecord, testSubscriberId } from "../support/subscribers";

let servers: AwsServers;
let documents: DynamoDBDocumentClient;
let subscribers: SubscriberRepository;
let feedback: typeof import("../../functions/feedback").handler;

beforeAll(async () => {
  servers = await useLocalAws();
  feedback = (await import("../../functions/feedback")).handler;
  documents = createDocumentClient();
  subscribers = new SubscriberRepository(documents, loadConfig().subscribersTableName as string);
});
afterAll(async () => {
  documents?.destroy();
  await servers?.stop();
});

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:eventcast-mail-feedback";

/** What SNS hands the feedback function: one record per message, the SES event as a JSON string. */
const snsEvent = (...messages: string[]): SNSEvent => ({
  Records: messages.map((message) => ({
    EventSource: "aws:sns",
    EventVersion: "1.0",
    EventSubscriptionArn: `${TOPIC}:${randomUUID()}`,
    Sns: {
      Type: "Notification",
      MessageId: randomUUID(),
      TopicArn: TOPIC,
      Subject: "Amazon SES Email Event Notification",
      Message: message,
      Timestamp: new Date().toISOString(),
      SignatureVersion: "1",
      Signature: "EXAMPLE",
      SigningCertUrl: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-example.pem",
      UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}`,
      MessageAttributes: {},
    },
  })),
});

/** The `mail` part SES event publishing puts in every event: the message it is about. */
const sentMail = (recipients: string[]) => ({
  timestamp: new Date().toISOString(),
  source: "EU4Digital events <events@example.org>",
  sourceArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.org",
  sendingAccountId: "123456789012",
  messageId: `0102018${randomUUID().replaceAll("-", "")}-000000`,
  destination: recipients,
  headersTruncated: false,
  headers: [{ name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" }],
  commonHeaders: {
    from: ["EU4Digital events <events@example.org>"],
    to: recipients,
    subject: "Networking event",
  },
  tags: { "ses:configuration-set": ["eventcast"], kind: ["announcement"] },
});

const bounce = (bounceType: "Permanent" | "Transient", ...recipients: string[]) =>
  JSON.stringify({
    eventType: "Bounce",
    bounce: {
      feedbackId: randomUUID(),
      bounceType,
      bounceSubType: bounceType === "Permanent" ? "General" : "MailboxFull",
      bouncedRecipients: recipients.map((emailAddress) => ({
        emailAddress,
        action: "failed",
        status: bounceType === "Permanent" ? "5.1.1" : "4.2.2",
        diagnosticCode:
          bounceType === "Permanent" ? "smtp; 550 5.1.1 user unknown" : "smtp; 452 4.2.2 mailbox full",
      })),
      timestamp: new Date().toISOString(),
      reportingMTA: "dns; mx.example.net",
    },
    mail: sentMail(recipients),
  });

const complaint = (...recipients: string[]) =>
  JSON.stringify({
    eventType: "Complaint",
    complaint: {
      feedbackId: randomUUID(),
      complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
      timestamp: new Date().toISOString(),
      userAgent: "ExampleMail/1.0",
      complaintFeedbackType: "abuse",
      arrivalDate: new Date().toISOString(),
    },
    mail: sentMail(recipients),
  });

const delivery = (...recipients: string[]) =>
  JSON.stringify({
    eventType: "Delivery",
    delivery: {
      timestamp: new Date().toISOString(),
      recipients,
      processingTimeMillis: 512,
      smtpResponse: "250 OK",
    },
    mail: sentMail(recipients),
  });

const existing = async (
  status: ActiveSubscriber["status"] = "confirmed",
  language = "en",
): Promise<ActiveSubscriber> => {
  const subscriber = subscriberRecord(`reader-${randomUUID().slice(0, 8)}@example.org`, { status, language });
  await subscribers.save(subscriber, undefined);
  return subscriber;
};

const current = (subscriber: Subscriber) => subscribers.get(subscriber.id);

describe("SES feedback", () => {
  it("suppresses a subscriber whose address bounced for good, and takes them out of the audience", async () => {
    const subscriber = await existing("confirmed", "ru");
    expect(await audienceIds(subscribers, "ru", "ict")).toContain(subscriber.id);

    await feedback(snsEvent(bounce("Permanent", subscriber.email)), testContext);

    expect(await current(subscriber)).toMatchObject({
      status: "suppressed",
      suppressionReason: "bounce:Permanent",
    });
    expect(await audienceIds(subscribers, "ru", "ict")).not.toContain(subscriber.id);
  });

  it("keeps nothing of a suppressed address but its keyed id, the status, the date and an expiry", async () => {
    const subscriber = await existing("confirmed", "ro");
    const before = Math.floor(Date.now() / 1000);

    await feedback(snsEvent(bounce("Permanent", subscriber.email)), testContext);

    const { Item } = await documents.send(
      new GetCommand({
        TableName: loadConfig().subscribersTableName,
        Key: { pk: `SUBSCRIBER#${subscriber.id}`, sk: "SUBSCRIBER" },
      }),
    );
    expect(JSON.stringify(Item)).not.toContain(subscriber.email);
    expect(Item).not.toHaveProperty("consent");
    expect(Item).not.toHaveProperty("series");
    expect(Object.keys(Item ?? {}).sort()).toEqual(
      [
        "entity",
        "expiresAt",
        "id",
        "language",
        "linkVersion",
        "pk",
        "sk",
        "status",
        "suppressionReason",
        "updatedAt",
      ].sort(),
    );
    // Two years, so the address is not mailed again when it asks to subscribe in that time.
    expect(Item?.expiresAt).toBeGreaterThanOrEqual(before + 2 * 365 * 24 * 3600);
  });

  it("suppresses a subscriber who complained, and takes them out of the audience", async () => {
    const subscriber = await existing("confirmed", "ka");

    await feedback(snsEvent(complaint(subscriber.email)), testContext);

    expect(await current(subscriber)).toMatchObject({ status: "suppressed", suppressionReason: "complaint" });
    expect(await audienceIds(subscribers, "ka", "ict")).not.toContain(subscriber.id);
  });

  it("suppresses a request whose confirmation mail drew a complaint, so it can never be confirmed", async () => {
    const subscriber = await existing("pending");

    await feedback(snsEvent(complaint(subscriber.email)), testContext);

    expect((await current(subscriber))?.status).toBe("suppressed");
  });

  it("matches the address SES reports whatever its case, and suppresses every recipient a bounce names", async () => {
    const first = await existing("confirmed", "uk");
    const second = await existing("confirmed", "uk");

    await feedback(snsEvent(bounce("Permanent", first.email.toUpperCase(), second.email)), testContext);

    expect((await current(first))?.status).toBe("suppressed");
    expect((await current(second))?.status).toBe("suppressed");
    const audience = await audienceIds(subscribers, "uk", "ict");
    expect(audience).not.toContain(first.id);
    expect(audience).not.toContain(second.id);
  });

  it("reads the identity-notification format (notificationType) as well", async () => {
    const subscriber = await existing();
    const message = JSON.parse(bounce("Permanent", subscriber.email)) as Record<string, unknown>;
    const { eventType: _eventType, ...rest } = message;

    await feedback(snsEvent(JSON.stringify({ notificationType: "Bounce", ...rest })), testContext);

    expect((await current(subscriber))?.status).toBe("suppressed");
  });

  it("only counts a transient bounce: the subscriber stays confirmed and in the audience", async () => {
    const subscriber = await existing("confirmed", "hy");

    await feedback(snsEvent(bounce("Transient", subscriber.email)), testContext);
    await feedback(snsEvent(bounce("Transient", subscriber.email)), testContext);

    expect(await current(subscriber)).toMatchObject({ status: "confirmed", transientBounces: 2 });
    expect(await audienceIds(subscribers, "hy", "ict")).toContain(subscriber.id);
  });

  it("keeps a suppressed subscriber as it is when more feedback arrives", async () => {
    const subscriber = await existing();
    await feedback(snsEvent(complaint(subscriber.email)), testContext);
    const suppressed = await current(subscriber);

    await feedback(
      snsEvent(bounce("Permanent", subscriber.email), bounce("Transient", subscriber.email)),
      testContext,
    );

    expect(await current(subscriber)).toEqual(suppressed);
  });

  it("ignores unknown addresses, deliveries and messages that are not JSON, and still applies the rest", async () => {
    const bystander = await existing();
    const bounced = await existing();
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.org`;

    await expect(
      feedback(
        snsEvent(
          "this is not JSON",
          bounce("Permanent", unknown),
          complaint(unknown),
          delivery(bystander.email),
          bounce("Permanent", bounced.email),
        ),
        testContext,
      ),
    ).resolves.toBeUndefined();

    expect(await current(bystander)).toEqual(bystander);
    expect((await current(bounced))?.status).toBe("suppressed");
    expect(await subscribers.get(testSubscriberId(unknown))).toBeUndefined();
  });

  it.each([
    ["null", "null"],
    ["a list", "[]"],
    ["a string", '"Bounce"'],
    ["a number", "42"],
  ])("ignores a message that is JSON but not an object (%s) without throwing", async (_case, message) => {
    const bystander = await existing();

    await expect(feedback(snsEvent(message), testContext)).resolves.toBeUndefined();

    expect(await current(bystander)).toEqual(bystander);
  });
});
