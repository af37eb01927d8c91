import { randomUUID } from "node:crypto";
import { SESv2Client, type SendEmailCommandInput, TooManyRequestsException } from "@aws-sdk/client-sesv2";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { AnnouncementStore } from "../../shared/adapters/dynamodb/announcement-store";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../../shared/adapters/dynamodb/delivery-ledger";
import { EventRepository } from "../../shared/adapters/dynamodb/event-repository";
import { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import { Mailer } from "../../shared/adapters/ses/mailer";
import {
  type DeliveryBatch,
  DeliveryQueue,
  parseDeliveryBatch,
} from "../../shared/adapters/sqs/delivery-queue";
import { type Config, loadConfig } from "../../shared/config";
import type { StoredEvent } from "../../shared/domain/event";
import { subscriptionLink } from "../../shared/domain/subscriptions/links";
import {
  type ActiveSubscriber,
  isActive,
  type Subscriber,
  type SubscriberStatus,
  tombstoneOf,
} from "../../shared/domain/subscriptions/subscriber";
import { mailMessagesFor } from "../../shared/render/mail/messages";
import { type AnnounceDeps, announceEvent } from "../../shared/use-cases/announce-event";
import {
  type DeliverDeps,
  deliverBatch,
  IncompleteDeliveryError,
} from "../../shared/use-cases/deliver-announcements";
import { intercept, SimulatedCrash } from "../support/faults";
import { TEST_KEYS, useLocalAws } from "../support/local-aws";
import {
  clearSentMails,
  header,
  mailCountsByRecipient,
  type StoredMail,
  sentMails,
} from "../support/local-mail";
import { recordInState, saveSubscribers, subscriberRecord } from "../support/subscribers";

let servers: AwsServers;
let sesUrl: string;
let config: Config;
let documents: DynamoDBDocumentClient;
let sqs: SQSClient;
let ses: SESv2Client;
let events: EventRepository;
let subscribers: SubscriberRepository;
let announcements: AnnouncementStore;
let ledger: DeliveryLedger;

/** Everyone written to the table, with the state they are in: the source of every expected audience. */
const seeded: Subscriber[] = [];
/** The address each seeded record was made for: tombstones no longer hold theirs. */
const addressOf = new Map<string, string>();

const seed = (
  count: number,
  label: string,
  language: string,
  series: string[] | ((index: number) => string[]),
  status: SubscriberStatus = "confirmed",
) =>
  Array.from({ length: count }, (_, index) => {
    const email = `${label}-${language}-${index}@example.org`;
    const record = recordInState(email, {
      language,
      status,
      series: typeof series === "function" ? series(index) : series,
    });
    addressOf.set(record.id, email);
    return record;
  });

beforeAll(async () => {
  servers = await useLocalAws();
  sesUrl = servers.endpoints.ses;
  config = loadConfig();
  documents = createDocumentClient();
  sqs = new SQSClient({});
  ses = new SESv2Client({});
  events = new EventRepository(documents, config.tableName);
  subscribers = new SubscriberRepository(documents, config.subscribersTableName as string);
  announcements = new AnnouncementStore(documents, config.tableName);
  ledger = new DeliveryLedger(documents, config.subscribersTableName as string);

  const updatedAt = new Date().toISOString();
  for (const id of ["ict", "energy", "big", "late"]) {
    await events.putSeries({ id, translations: { en: { name: `Series ${id}` } }, updatedAt });
  }
  seeded.push(
    // The "ict" audience: 60 English readers (two pages) and a few in other languages.
    ...seed(60, "reader", "en", (index) => (index % 2 ? ["ict"] : [])),
    ...seed(6, "reader", "ka", (index) => (index % 2 ? ["ict", "energy"] : [])),
    ...seed(6, "reader", "ru", []),
    ...seed(6, "reader", "uk", ["ict"]),
    ...seed(4, "reader", "hy", ["ict"]),
    // Who must hear nothing of an "ict" event.
    ...seed(2, "pending", "en", [], "pending"),
    ...seed(1, "pending", "ka", ["ict"], "pending"),
    ...seed(2, "unsubscribed", "ru", [], "unsubscribed"),
    ...seed(1, "suppressed", "uk", [], "suppressed"),
    ...seed(2, "energy-only", "en", ["energy"]),
    ...seed(2, "energy-only", "ka", ["energy"]),
    // The "big" series' own readers: two audience pages in every language, so a fan-out flushes twice.
    ...config.languages.flatMap((language) => seed(55, "big", language, ["big"])),
  );
  await saveSubscribers(subscribers, seeded);
});
afterAll(async () => {
  sqs?.destroy();
  ses?.destroy();
  documents?.destroy();
  await servers?.stop();
});
beforeEach(() => clearSentMails(sesUrl));

const TITLES: Record<string, string> = {
  en: "Networking event",
  ka: "ქსელური ღონისძიება",
  ru: "Сетевое мероприятие",
};

interface PublishedEvent {
  event: StoredEvent;
  /** In every title, so the mails of this event can be told apart from the others'. */
  tag: string;
}

const publishEvent = async (series = "ict", languages = ["en", "ka"]): Promise<PublishedEvent> => {
  const id = randomUUID();
  const tag = `#${id.slice(0, 8)}`;
  const now = new Date().toISOString();
  const event: StoredEvent = {
    id,
    slug: `networking-${id}`,
    series,
    start: "2030-12-14T10:00",
    end: "2030-12-14T12:00",
    timeZone: "Asia/Tbilisi",
    location: { type: "online", url: "https://example.org/live" },
    speakers: [{ name: "Olga Shapoval", organisation: "Kharkiv IT Cluster", country: "UA" }],
    translations: Object.fromEntries(
      languages.map((language) => [language, { title: `${TITLES[language]} ${tag}` }]),
    ),
    status: "published",
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    revision: 2,
  };
  await events.createEvent(event);
  return { event, tag };
};

/** Who should hear of an event: confirmed, wanting its series, and reading one of its languages (or any, when it has the default one). */
const audienceOf = ({ event }: PublishedEvent): ActiveSubscriber[] => {
  const anyLanguage = config.defaultLanguage in event.translations;
  return seeded.filter(
    (subscriber): subscriber is ActiveSubscriber =>
      subscriber.status === "confirmed" &&
      (subscriber.series.length === 0 || subscriber.series.includes(event.series)) &&
      (anyLanguage || subscriber.language in event.translations),
  );
};

const oneEach = (recipients: ActiveSubscriber[]) =>
  Object.fromEntries(recipients.map((subscriber) => [subscriber.email, 1]));

const mailsOf = async ({ tag }: PublishedEvent): Promise<StoredMail[]> =>
  (await sentMails(sesUrl)).filter((mail) => mail.subject.includes(tag));

const mailCounts = ({ tag }: PublishedEvent) =>
  mailCountsByRecipient(sesUrl, (mail) => mail.subject.includes(tag));

let queueCounter = 0;
/** A fresh delivery queue on local-aws-sqs for one test, so its messages can be counted. */
const newQueue = async (): Promise<string> => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `deliveries-${++queueCounter}` }));
  return QueueUrl as string;
};

/** Receives and deletes every message on the queue, as the deliverer's event source would. */
const drain = async (queueUrl: string): Promise<DeliveryBatch[]> => {
  const batches: DeliveryBatch[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (Messages.length === 0) break;
    batches.push(...Messages.map((message) => parseDeliveryBatch(message.Body ?? "")));
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
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  expect(
    Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  ).toBe(0);
  return batches;
};

/** How often each subscriber id appears in the queued batches. */
const queuedCounts = (batches: DeliveryBatch[]) => {
  const counts: Record<string, number> = {};
  for (const batch of batches) for (const id of batch.subscriberIds) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
};

const announceDeps = (queueUrl: string, changes: Partial<AnnounceDeps> = {}): AnnounceDeps => ({
  announcements,
  subscribers,
  queue: new DeliveryQueue(sqs, queueUrl),
  languages: config.languages,
  defaultLanguage: config.defaultLanguage,
  ...changes,
});

const deliverDeps = (changes: Partial<DeliverDeps> = {}): DeliverDeps => ({
  events,
  subscribers,
  ledger,
  mailer: new Mailer(ses, config.senderAddress),
  links: TEST_KEYS.links,
  config,
  sleep: async () => {},
  ...changes,
});

const deliverAll = async (batches: DeliveryBatch[], deps = deliverDeps()) => {
  for (const batch of batches) await deliverBatch(deps, batch);
};

/** A mailer on a real SES client whose requests fail, before reaching SES, when `fault` says so. */
const mailerWithSesFaults = (fault: (recipient: string) => Error | undefined): Mailer => {
  const client = new SESv2Client({});
  client.middlewareStack.add(
    (next) => async (args) => {
      const recipient = (args.input as SendEmailCommandInput).Destination?.ToAddresses?.[0] ?? "";
      const error = fault(recipient);
      if (error) throw error;
      return next(args);
    },
    { step: "initialize", name: "injectSesFault" },
  );
  return new Mailer(client, config.senderAddress);
};

const throttled = () =>
  new TooManyRequestsException({
    message: "Maximum sending rate exceeded.",
    $metadata: { httpStatusCode: 429 },
  });

/** Announces `published` on a fresh queue and returns the queued batches. */
const announceAndDrain = async (published: PublishedEvent) => {
  const queueUrl = await newQueue();
  await announceEvent(announceDeps(queueUrl), published.event);
  return drain(queueUrl);
};

describe("announcing an event", () => {
  it("mails each subscriber who wants it exactly once, with their own unsubscribe link", async () => {
    const published = await publishEvent();
    const batches = await announceAndDrain(published);

    await deliverAll(batches);

    const audience = audienceOf(published);
    expect(audience.length).toBeGreaterThan(50);
    expect(Math.max(...batches.map((batch) => batch.subscriberIds.length))).toBeLessThanOrEqual(50);
    expect(await mailCounts(published)).toEqual(oneEach(audience));
    const byAddress = new Map(audience.map((subscriber) => [subscriber.email, subscriber]));
    for (const mail of await mailsOf(published)) {
      const subscriber = byAddress.get(mail.destination.to[0] as string) as ActiveSubscriber;
      expect(header(mail, "List-Unsubscribe")).toBe(
        `<${subscriptionLink(config.publicUrl, TEST_KEYS.links, "unsubscribe", subscriber)}>`,
      );
    }
    expect(await announcements.get(published.event.id)).toMatchObject({
      status: "done",
      recipients: audience.length,
    });
  });

  it("keeps who got it only until 90 days after the event ends (the ledger rows' TTL)", async () => {
    const published = await publishEvent();
    await deliverAll(await announceAndDrain(published));

    const [first] = audienceOf(published);
    const { Item } = await documents.send(
      new GetCommand({
        TableName: config.subscribersTableName,
        Key: { pk: `DELIVERY#${published.event.id}`, sk: `SUBSCRIBER#${(first as ActiveSubscriber).id}` },
      }),
    );
    // The event ends 2030-12-14 12:00 in Tbilisi (UTC+4).
    expect(Item?.status).toBe("sent");
    expect(Item?.expiresAt).toBe(Date.parse("2030-12-14T08:00:00Z") / 1000 + 90 * 24 * 3600);
  });
});

describe("the same stream record twice", () => {
  it("makes one announcement: the second run queues nothing and each subscriber gets one mail", async () => {
    const published = await publishEvent();
    const queueUrl = await newQueue();

    await announceEvent(announceDeps(queueUrl), published.event);
    await announceEvent(announceDeps(queueUrl), published.event);
    const batches = await drain(queueUrl);

    const audience = audienceOf(published);
    expect(queuedCounts(batches)).toEqual(
      Object.fromEntries(audience.map((subscriber) => [subscriber.id, 1])),
    );
    await deliverAll(batches);
    expect(await mailCounts(published)).toEqual(oneEach(audience));
  });

  it("handled twice at the same time, still ends with one mail each", async () => {
    const published = await publishEvent();
    const queueUrl = await newQueue();

    await Promise.all([
      announceEvent(announceDeps(queueUrl), published.event),
      announceEvent(announceDeps(queueUrl), published.event),
    ]);
    await deliverAll(await drain(queueUrl));

    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});

describe("the same SQS message delivered twice", () => {
  it("sends one mail each, whether the second delivery comes after the first or alongside it", async () => {
    const published = await publishEvent();
    const batches = await announceAndDrain(published);
    const [first, ...rest] = batches;

    const once = await deliverBatch(deliverDeps(), first as DeliveryBatch);
    const twice = await deliverBatch(deliverDeps(), first as DeliveryBatch);
    expect(once.sent).toBe(first?.subscriberIds.length);
    expect(twice).toEqual({ sent: 0, skipped: first?.subscriberIds.length, failed: 0, inDoubt: 0 });
    for (const batch of rest) {
      const reports = await Promise.all([
        deliverBatch(deliverDeps(), batch),
        deliverBatch(deliverDeps(), batch),
      ]);
      expect(reports[0].sent + reports[1].sent).toBe(batch.subscriberIds.length);
    }

    expect(rest.length).toBeGreaterThan(0);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});

describe("SES throttling", () => {
  it("on a third of the sends is retried with backoff until each subscriber has exactly one mail", async () => {
    const published = await publishEvent();
    const audience = audienceOf(published);
    const throttledAddresses = new Set(audience.filter((_, index) => index % 3 === 0).map((s) => s.email));
    const attempts = new Map<string, number>();
    const waits: number[] = [];
    const mailer = mailerWithSesFaults((recipient) => {
      const attempt = (attempts.get(recipient) ?? 0) + 1;
      attempts.set(recipient, attempt);
      return throttledAddresses.has(recipient) && attempt <= 2 ? throttled() : undefined;
    });

    await deliverAll(
      await announceAndDrain(published),
      deliverDeps({ mailer, sleep: async (milliseconds) => void waits.push(milliseconds) }),
    );

    expect(await mailCounts(published)).toEqual(oneEach(audience));
    for (const subscriber of audience) {
      expect(attempts.get(subscriber.email)).toBe(throttledAddresses.has(subscriber.email) ? 3 : 1);
    }
    expect(waits).toHaveLength(2 * throttledAddresses.size);
    expect(waits.filter((wait) => wait >= 100 && wait < 200)).toHaveLength(throttledAddresses.size);
    expect(waits.filter((wait) => wait >= 200 && wait < 300)).toHaveLength(throttledAddresses.size);
  });

  it("that outlasts the retries fails the batch for a later retry, which sends only the mails still missing", async () => {
    const published = await publishEvent();
    const [batch] = await announceAndDrain(published);
    const recipients = (await subscribers.getMany((batch as DeliveryBatch).subscriberIds)).filter(isActive);
    const stuck = new Set(recipients.slice(0, 5).map((subscriber) => subscriber.email));
    const attempts = new Map<string, number>();
    const waits: number[] = [];
    const sesRecovers = { after: 5 };
    const mailer = mailerWithSesFaults((recipient) => {
      const attempt = (attempts.get(recipient) ?? 0) + 1;
      attempts.set(recipient, attempt);
      return stuck.has(recipient) && attempt <= sesRecovers.after ? throttled() : undefined;
    });
    const deps = deliverDeps({ mailer, sleep: async (milliseconds) => void waits.push(milliseconds) });

    await expect(deliverBatch(deps, batch as DeliveryBatch)).rejects.toBeInstanceOf(IncompleteDeliveryError);
    const afterFirst = await mailCounts(published);
    expect(afterFirst).toEqual(oneEach(recipients.filter((subscriber) => !stuck.has(subscriber.email))));
    for (const address of stuck) expect(attempts.get(address)).toBe(5);
    const buckets = [...new Set(waits.map((wait) => Math.floor(wait / 100) * 100))].sort((a, b) => a - b);
    expect(buckets).toEqual([100, 200, 400, 800]);

    const retry = await deliverBatch(deps, batch as DeliveryBatch);

    expect(retry).toEqual({
      sent: stuck.size,
      skipped: recipients.length - stuck.size,
      failed: 0,
      inDoubt: 0,
    });
    expect(await mailCounts(published)).toEqual(oneEach(recipients));
  });
});

describe("a crash part-way through a batch", () => {
  it("after half the batch was sent: the rerun sends only the rest, one mail each", async () => {
    const published = await publishEvent();
    const [batch] = await announceAndDrain(published);
    const half = Math.floor((batch as DeliveryBatch).subscriberIds.length / 2);
    const healthy = new Mailer(ses, config.senderAddress);
    let sends = 0;
    const dying = intercept(healthy, "send", (send) => async (mail) => {
      if (++sends > half) throw new SimulatedCrash("connection reset");
      return send(mail);
    });

    await expect(deliverBatch(deliverDeps({ mailer: dying }), batch as DeliveryBatch)).rejects.toBeInstanceOf(
      IncompleteDeliveryError,
    );
    expect(Object.keys(await mailCounts(published))).toHaveLength(half);

    let rerunSends = 0;
    const counting = intercept(healthy, "send", (send) => async (mail) => {
      rerunSends++;
      return send(mail);
    });
    await deliverBatch(deliverDeps({ mailer: counting }), batch as DeliveryBatch);

    expect(rerunSends).toBe((batch as DeliveryBatch).subscriberIds.length - half);
    expect(await mailCounts(published)).toEqual(
      oneEach((await subscribers.getMany((batch as DeliveryBatch).subscriberIds)).filter(isActive)),
    );
  });

  it("between SES accepting a mail and the ledger recording it: the rerun never sends that mail again", async () => {
    const published = await publishEvent();
    const [batch] = await announceAndDrain(published);
    const unlucky = (batch as DeliveryBatch).subscriberIds[0] as string;
    const failingLedger = intercept(
      ledger,
      "markSent",
      (markSent) =>
        async (eventId, subscriberId, ...rest) => {
          if (subscriberId === unlucky) throw new SimulatedCrash("DynamoDB unreachable");
          return markSent(eventId, subscriberId, ...rest);
        },
    );

    await deliverBatch(deliverDeps({ ledger: failingLedger }), batch as DeliveryBatch).catch(() => undefined);
    await deliverBatch(deliverDeps(), batch as DeliveryBatch).catch(() => undefined);

    // The README's choice for this window is "at most once": a duplicate is the one outcome ruled out.
    expect(await mailCounts(published)).toEqual(
      oneEach((await subscribers.getMany((batch as DeliveryBatch).subscriberIds)).filter(isActive)),
    );
    expect(await ledger.listInDoubt(published.event.id)).toEqual([
      { subscriberId: unlucky, claimedAt: expect.any(String) },
    ]);
  });

  it("when the process dies with sends in flight: no mail twice, and what may be lost is listed for ops", async () => {
    const published = await publishEvent();
    const [batch] = await announceAndDrain(published);
    const half = Math.floor((batch as DeliveryBatch).subscriberIds.length / 2);
    const healthy = new Mailer(ses, config.senderAddress);
    let sends = 0;
    let frozen = 0;
    const hanging = intercept(healthy, "send", (send) => (mail) => {
      if (++sends <= half) return send(mail);
      frozen++;
      return new Promise<string>(() => {});
    });

    // The process "dies" once every worker is stuck in a send: its deliverBatch never settles.
    void deliverBatch(deliverDeps({ mailer: hanging }), batch as DeliveryBatch);
    await expect.poll(() => frozen, { timeout: 5000 }).toBe(config.sendConcurrency);
    await deliverBatch(deliverDeps(), batch as DeliveryBatch);

    const inDoubt = new Set((await ledger.listInDoubt(published.event.id)).map((row) => row.subscriberId));
    const recipients = (await subscribers.getMany((batch as DeliveryBatch).subscriberIds)).filter(isActive);
    expect(inDoubt.size).toBe(config.sendConcurrency);
    expect(await mailCounts(published)).toEqual(
      oneEach(recipients.filter((subscriber) => !inDoubt.has(subscriber.id))),
    );
  });
});

describe("a crash in the middle of the fan-out", () => {
  /** Runs a fan-out that dies, checks it had saved progress, and reruns it: what did the queue get? */
  const crashAndResume = async (
    published: PublishedEvent,
    crashingDeps: (queueUrl: string) => AnnounceDeps,
  ) => {
    const queueUrl = await newQueue();
    await expect(announceEvent(crashingDeps(queueUrl), published.event)).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    const saved = await announcements.get(published.event.id);
    expect(saved?.status).toBe("fanning-out");
    expect(saved?.cursor).not.toEqual({ languageIndex: 0 });

    const resumedAt: { language: string; startKey?: Record<string, unknown> }[] = [];
    const watched = intercept(
      subscribers,
      "audiencePage",
      (audiencePage) => (language, series, limit, startKey) => {
        resumedAt.push({ language, startKey });
        return audiencePage(language, series, limit, startKey);
      },
    );
    await announceEvent(announceDeps(queueUrl, { subscribers: watched }), published.event);

    expect(resumedAt[0]).not.toEqual({ language: config.languages[0], startKey: undefined });
    expect((await announcements.get(published.event.id))?.status).toBe("done");
    return drain(queueUrl);
  };

  const expectEveryoneQueuedOnceAndMailedOnce = async (
    published: PublishedEvent,
    batches: DeliveryBatch[],
  ) => {
    const audience = audienceOf(published);
    expect(queuedCounts(batches)).toEqual(
      Object.fromEntries(audience.map((subscriber) => [subscriber.id, 1])),
    );
    await deliverAll(batches);
    expect(await mailCounts(published)).toEqual(oneEach(audience));
  };

  it("while queueing a page resumes from the saved cursor: nobody skipped, nobody queued twice", async () => {
    const published = await publishEvent("big");
    const batches = await crashAndResume(published, (queueUrl) => {
      const deps = announceDeps(queueUrl);
      let calls = 0;
      const queue = intercept(deps.queue, "enqueue", (enqueue) => async (pending) => {
        if (++calls === 2) throw new SimulatedCrash("process died while queueing");
        return enqueue(pending);
      });
      return { ...deps, queue };
    });

    await expectEveryoneQueuedOnceAndMailedOnce(published, batches);
  });

  it("while reading the audience resumes from the saved cursor: nobody skipped, nobody queued twice", async () => {
    const published = await publishEvent("big");
    const batches = await crashAndResume(published, (queueUrl) => {
      let calls = 0;
      const reader = intercept(subscribers, "audiencePage", (audiencePage) => async (...args) => {
        if (++calls === 14) throw new SimulatedCrash("process died while reading");
        return audiencePage(...args);
      });
      return announceDeps(queueUrl, { subscribers: reader });
    });

    await expectEveryoneQueuedOnceAndMailedOnce(published, batches);
  });

  it("between queueing pages and saving the cursor queues those pages again, yet mails each subscriber once", async () => {
    const published = await publishEvent("big");
    let flushed: DeliveryBatch[] = [];
    const batches = await crashAndResume(published, (queueUrl) => {
      const deps = announceDeps(queueUrl);
      let saves = 0;
      const queue = intercept(deps.queue, "enqueue", (enqueue) => async (pending) => {
        if (flushed.length === 0) flushed = pending;
        return enqueue(pending);
      });
      const store = intercept(announcements, "saveProgress", (saveProgress) => async (...args) => {
        if (++saves === 2) throw new SimulatedCrash("process died before saving the cursor");
        return saveProgress(...args);
      });
      return { ...deps, queue, announcements: store };
    });

    const audience = audienceOf(published);
    const queued = queuedCounts(batches);
    for (const subscriber of audience) expect(queued[subscriber.id]).toBeGreaterThanOrEqual(1);
    for (const id of flushed.flatMap((batch) => batch.subscriberIds)) expect(queued[id]).toBe(1);
    expect(Object.values(queued).some((count) => count > 1)).toBe(true);
    await deliverAll(batches);
    expect(await mailCounts(published)).toEqual(oneEach(audience));
  });
});

describe("who hears of an event", () => {
  it("nobody pending, unsubscribed, suppressed or wanting only other series", async () => {
    const published = await publishEvent();
    await deliverAll(await announceAndDrain(published));

    const mailed = await mailCounts(published);
    const silent = seeded.filter(
      (subscriber) =>
        subscriber.status !== "confirmed" ||
        (subscriber.series.length > 0 && !subscriber.series.includes("ict")),
    );
    expect(silent.map((subscriber) => subscriber.status)).toEqual(
      expect.arrayContaining(["pending", "unsubscribed", "suppressed", "confirmed"]),
    );
    for (const subscriber of silent) expect(mailed[addressOf.get(subscriber.id) as string]).toBeUndefined();
  });

  it("a subscriber whose language the event lacks reads it in the default language, with their own interface", async () => {
    const published = await publishEvent("ict", ["en", "ka"]);
    await deliverAll(await announceAndDrain(published));

    const mails = await mailsOf(published);
    const to = (address: string) => mails.find((mail) => mail.destination.to.includes(address)) as StoredMail;
    const russian = to("reader-ru-0@example.org");
    expect(russian.subject).toBe(`${TITLES.en} ${published.tag}`);
    expect(russian.body.html).toContain(mailMessagesFor("ru").unsubscribe);
    const georgian = to("reader-ka-0@example.org");
    expect(georgian.subject).toBe(`${TITLES.ka} ${published.tag}`);
    expect(georgian.body.html).toContain(mailMessagesFor("ka").unsubscribe);
  });

  it("an event without the default language reaches only the readers of its languages", async () => {
    const published = await publishEvent("ict", ["ka"]);
    await deliverAll(await announceAndDrain(published));

    const audience = audienceOf(published);
    expect(new Set(audience.map((subscriber) => subscriber.language))).toEqual(new Set(["ka"]));
    expect(await mailCounts(published)).toEqual(oneEach(audience));
  });

  it("nobody, when the event is cancelled between fan-out and delivery", async () => {
    const published = await publishEvent();
    const batches = await announceAndDrain(published);
    const cancelled: StoredEvent = {
      ...published.event,
      status: "cancelled",
      cancelledAt: new Date().toISOString(),
      revision: published.event.revision + 1,
    };
    await events.replaceEvent(cancelled, published.event);

    await deliverAll(batches);

    expect(batches.length).toBeGreaterThan(0);
    expect(await mailCounts(published)).toEqual({});
  });

  it("not a subscriber who unsubscribed between fan-out and delivery", async () => {
    const leaving = subscriberRecord("leaving-en-0@example.org", { series: ["late"] });
    await subscribers.save(leaving, undefined);
    const published = await publishEvent("late");
    const batches = await announceAndDrain(published);
    expect(queuedCounts(batches)[leaving.id]).toBe(1);
    const unsubscribed = tombstoneOf(leaving, "unsubscribed", new Date());
    await subscribers.save(unsubscribed, leaving);

    await deliverAll(batches);

    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});
