import { randomUUID } from "node:crypto";
import {
  type BulkEmailEntryResult,
  SESv2Client,
  type SendBulkEmailCommandInput,
  type SendBulkEmailCommandOutput,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../../shared/adapters/dynamodb/delivery-ledger";
import { EventRepository } from "../../shared/adapters/dynamodb/event-repository";
import { MailingStore } from "../../shared/adapters/dynamodb/mailing-store";
import { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import { Mailer } from "../../shared/adapters/ses/mailer";
import { DeliveryQueue, parseDeliveryMessage } from "../../shared/adapters/sqs/delivery-queue";
import { type Config, loadConfig } from "../../shared/config";
import { ConflictError } from "../../shared/domain/errors";
import type { StoredEvent } from "../../shared/domain/event";
import { type BatchKey, committedSegments, type PlannedBatch } from "../../shared/domain/mailings";
import { subscriptionLink } from "../../shared/domain/subscriptions/links";
import {
  type ActiveSubscriber,
  type Subscriber,
  type SubscriberStatus,
  tombstoneOf,
} from "../../shared/domain/subscriptions/subscriber";
import { mailMessagesFor } from "../../shared/render/mail/messages";
import { type AnnounceDeps, announceEvent, announcementOf } from "../../shared/use-cases/announce-event";
import {
  type DeliverDeps,
  deliverBatch,
  deliverInTurn,
  IncompleteDeliveryError,
  TemplateCache,
} from "../../shared/use-cases/deliver-mailing";
import { mailingStatus, resumeMailing } from "../../shared/use-cases/manage-mailings";
import { eventually } from "../support/eventually";
import { intercept, SimulatedCrash } from "../support/faults";
import { TEST_KEYS, useLocalAws } from "../support/local-aws";
import {
  clearSentMails,
  header,
  mailCountsByRecipient,
  renderingFailures,
  type StoredMail,
  sentMails,
} from "../support/local-mail";
import { takeAll } from "../support/queues";
import { recordInState, saveSubscribers, subscriberRecord } from "../support/subscribers";

let servers: AwsServers;
let sesUrl: string;
let config: Config;
let documents: DynamoDBDocumentClient;
let sqs: SQSClient;
let ses: SESv2Client;
let events: EventRepository;
let subscribers: SubscriberRepository;
let mailings: MailingStore;
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

const CONFIGURATION_SET = "eventcast-test-set";

beforeAll(async () => {
  servers = await useLocalAws();
  sesUrl = servers.endpoints.ses;
  config = loadConfig();
  documents = createDocumentClient();
  sqs = new SQSClient({});
  ses = new SESv2Client({ maxAttempts: 1 });
  events = new EventRepository(documents, config.tableName);
  subscribers = new SubscriberRepository(documents, config.subscribersTableName as string);
  mailings = new MailingStore(documents, config.tableName);
  ledger = new DeliveryLedger(documents, config.subscribersTableName as string);

  const updatedAt = new Date().toISOString();
  for (const id of ["ict", "energy", "big", "late"]) {
    await events.putSeries({ id, translations: { en: { name: `Series ${id}` } }, updatedAt });
  }
  seeded.push(
    // The "ict" audience: 60 English readers (two batches) and a few in other languages.
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
    // The "big" series' own readers: two batches in every language, more than one queue request.
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

const publishEvent = async (
  series = "ict",
  languages = ["en", "ka"],
  title = (language: string, tag: string) => `${TITLES[language]} ${tag}`,
): Promise<PublishedEvent> => {
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
      languages.map((language) => [language, { title: title(language, tag) }]),
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
const drain = async (queueUrl: string): Promise<BatchKey[]> => {
  const keys = (await takeAll(sqs, queueUrl)).map((message) => parseDeliveryMessage(message.Body ?? ""));
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
  return keys;
};

/** The batches of the committed plan of an event's announcement. */
const plannedBatches = async ({ event }: PublishedEvent): Promise<PlannedBatch[]> => {
  const ref = announcementOf(event.id);
  const mailing = await mailings.get(ref);
  if (!mailing?.plan) return [];
  const batches: PlannedBatch[] = [];
  for await (const batch of ledger.batches(ref, committedSegments(mailing))) batches.push(batch);
  return batches;
};

/** How often each subscriber id is in the committed plan. */
const plannedCounts = async (published: PublishedEvent) => {
  const counts: Record<string, number> = {};
  for (const batch of await plannedBatches(published)) {
    for (const id of batch.subscriberIds) counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
};

const oncePerId = (recipients: ActiveSubscriber[]) =>
  Object.fromEntries(recipients.map((subscriber) => [subscriber.id, 1]));

/** How often each batch of the plan was put on the queue. */
const queuedCounts = (keys: BatchKey[]) => {
  const counts: Record<number, number> = {};
  for (const key of keys) counts[key.seq] = (counts[key.seq] ?? 0) + 1;
  return counts;
};

/** Segments of ten batches (one queue request), where a test counts on where a segment ends. */
const TEN = 10;

const announceDeps = (queueUrl: string, changes: Partial<AnnounceDeps> = {}): AnnounceDeps => ({
  mailings,
  ledger,
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
  mailer: new Mailer(ses, config.senderAddress, CONFIGURATION_SET),
  links: TEST_KEYS.links,
  config,
  sleep: async () => {},
  ...changes,
});

const deliverAll = async (keys: BatchKey[], deps = deliverDeps()) => {
  for (const key of keys) await deliverBatch(deps, key);
};

/** Announces `published` on a fresh queue and returns what was queued. */
const announceAndDrain = async (published: PublishedEvent) => {
  const queueUrl = await newQueue();
  await announceEvent(announceDeps(queueUrl), published.event);
  return drain(queueUrl);
};

type SesMiddleware = (
  input: SendBulkEmailCommandInput,
  send: (input: SendBulkEmailCommandInput) => Promise<SendBulkEmailCommandOutput>,
) => Promise<SendBulkEmailCommandOutput>;

/** A mailer on a real SES client (no SDK retries, as deployed) whose bulk calls go through `around`. */
const mailerWith = (around: SesMiddleware): Mailer => {
  const client = new SESv2Client({ maxAttempts: 1 });
  client.middlewareStack.add(
    (next) => async (args) => {
      let response: unknown;
      const output = await around(args.input as SendBulkEmailCommandInput, async (input) => {
        const result = await next({ ...args, input });
        response = result.response;
        return result.output as SendBulkEmailCommandOutput;
      });
      return { output, response };
    },
    { step: "initialize", name: "injectSesFault" },
  );
  return new Mailer(client, config.senderAddress, CONFIGURATION_SET);
};

const recipientOf = (entry: NonNullable<SendBulkEmailCommandInput["BulkEmailEntries"]>[number]) =>
  entry.Destination?.ToAddresses?.[0] ?? "";

/**
 * SES answers `status` for the entries `fault` picks, and those are not sent (they never reach
 * the local SES); the others are sent for real.
 */
const mailerWithEntryFaults = (fault: (recipient: string) => string | undefined): Mailer =>
  mailerWith(async (input, send) => {
    const entries = input.BulkEmailEntries ?? [];
    const faults = entries.map((entry) => fault(recipientOf(entry)));
    const passed = entries.filter((_, index) => !faults[index]);
    const answered =
      passed.length > 0
        ? ((await send({ ...input, BulkEmailEntries: passed })).BulkEmailEntryResults ?? [])
        : [];
    const results: BulkEmailEntryResult[] = faults.map((status) =>
      status
        ? { Status: status as BulkEmailEntryResult["Status"], Error: "injected" }
        : (answered.shift() as never),
    );
    return { BulkEmailEntryResults: results, $metadata: {} };
  });

const throttled = () =>
  new TooManyRequestsException({
    message: "Maximum sending rate exceeded.",
    $metadata: { httpStatusCode: 429 },
  });

/** A lost answer: SES received (and sent) the batch, the connection died before its answer. */
class ConnectionReset extends Error {
  override name = "ECONNRESET";
}

describe("announcing an event", () => {
  it("plans the audience into batches of one language, at most 50, and sends each with one bulk call", async () => {
    const published = await publishEvent();
    let calls = 0;
    const counting = mailerWith((input, send) => {
      calls++;
      return send(input);
    });

    const keys = await announceAndDrain(published);
    await deliverAll(keys, deliverDeps({ mailer: counting }));

    const audience = audienceOf(published);
    expect(audience.length).toBeGreaterThan(50);
    const batches = await plannedBatches(published);
    expect(await plannedCounts(published)).toEqual(oncePerId(audience));
    for (const batch of batches) {
      expect(batch.subscriberIds.length).toBeLessThanOrEqual(50);
      const languages = new Set(
        audience.filter((subscriber) => batch.subscriberIds.includes(subscriber.id)).map((s) => s.language),
      );
      expect(languages).toEqual(new Set([batch.language]));
    }
    expect(queuedCounts(keys)).toEqual(Object.fromEntries(batches.map((batch) => [batch.seq, 1])));
    expect(calls).toBe(batches.length);
    expect(await mailCounts(published)).toEqual(oneEach(audience));
  });

  it("gives each recipient their own links and List-Unsubscribe, the .ics, the tags and the configuration set", async () => {
    const published = await publishEvent();
    await deliverAll(await announceAndDrain(published));

    const byAddress = new Map(audienceOf(published).map((subscriber) => [subscriber.email, subscriber]));
    const mails = await mailsOf(published);
    expect(mails).toHaveLength(byAddress.size);
    for (const mail of mails) {
      const subscriber = byAddress.get(mail.destination.to[0] as string) as ActiveSubscriber;
      const unsubscribe = subscriptionLink(config.publicUrl, TEST_KEYS.links, "unsubscribe", subscriber);
      const manage = subscriptionLink(config.publicUrl, TEST_KEYS.links, "manage", subscriber);
      expect(header(mail, "List-Unsubscribe")).toBe(`<${unsubscribe}>`);
      expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(mail.body.html).toContain(`href="${unsubscribe}"`);
      expect(mail.body.html).toContain(`href="${manage}"`);
      expect(mail.body.text).toContain(unsubscribe);
      expect(mail.body.html).not.toContain("recipient.invalid");
      expect(mail.attachments.map((attachment) => attachment.filename)).toEqual(["event.ics"]);
      expect(Buffer.from(mail.attachments[0]?.content ?? "", "base64").toString("utf8")).toContain(
        `UID:${published.event.id}@eventcast`,
      );
      expect(mail.tags).toEqual(
        expect.arrayContaining([
          { name: "kind", value: "announcement" },
          { name: "event", value: published.event.id },
          { name: "subscriber", value: subscriber.id },
        ]),
      );
      expect(mail.configurationSetName).toBe(CONFIGURATION_SET);
    }
    expect(await renderingFailures(sesUrl)).toEqual([]);
  });

  it("passes editor text only as data, escaped: template syntax in a title stays text", async () => {
    const trap = "{{unsubscribeUrl}} {{html0}} {{{raw}}} <script>alert(1)</script> & {{#each x}}";
    const published = await publishEvent("ict", ["en"], (_language, tag) => `${trap} ${tag}`);
    await deliverAll(await announceAndDrain(published));

    const mails = await mailsOf(published);
    expect(mails).toHaveLength(audienceOf(published).length);
    for (const mail of mails) {
      expect(mail.subject).toBe(`${trap} ${published.tag}`);
      expect(mail.body.html).toContain(
        "{{unsubscribeUrl}} {{html0}} {{{raw}}} &lt;script&gt;alert(1)&lt;/script&gt; &amp; {{#each x}}",
      );
      expect(mail.body.html).not.toContain("<script>");
      expect(mail.body.text).toContain(trap);
    }
    expect(await renderingFailures(sesUrl)).toEqual([]);
  });

  it("does not add who confirms after the plan was made", async () => {
    const published = await publishEvent("late");
    const keys = await announceAndDrain(published);
    const latecomer = subscriberRecord("latecomer-en-0@example.org", { series: ["late"] });
    await subscribers.save(latecomer, undefined);

    await deliverAll(keys);

    expect((await mailCounts(published))[latecomer.email]).toBeUndefined();
    // From now on a confirmed reader of "late" like any other.
    seeded.push(latecomer);
  });

  it("keeps who got it only until 90 days after the event ends (the batches' TTL)", async () => {
    const published = await publishEvent();
    await deliverAll(await announceAndDrain(published));

    const first = audienceOf(published)[0] as ActiveSubscriber;
    const batches = await plannedBatches(published);
    const holding = batches.find((batch) => batch.subscriberIds.includes(first.id));
    expect(holding?.outcomes[first.id]).toMatchObject({ status: "sent" });
    // The event ends 2030-12-14 12:00 in Tbilisi (UTC+4).
    for (const batch of batches) {
      expect(batch.expiresAt).toBe(Date.parse("2030-12-14T08:00:00Z") / 1000 + 90 * 24 * 3600);
    }
  });
});

describe("the same stream record twice", () => {
  it("makes one plan: the second run queues nothing and each subscriber gets one mail", async () => {
    const published = await publishEvent();
    const queueUrl = await newQueue();

    await announceEvent(announceDeps(queueUrl), published.event);
    const again = await announceEvent(announceDeps(queueUrl), published.event);
    const keys = await drain(queueUrl);

    expect(again).toEqual({ queued: 0, skipped: "already-queued" });
    const batches = await plannedBatches(published);
    expect(queuedCounts(keys)).toEqual(Object.fromEntries(batches.map((batch) => [batch.seq, 1])));
    await deliverAll(keys);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });

  it("handled twice at the same time, commits one plan and still ends with one mail each", async () => {
    const published = await publishEvent("big");
    const queueUrl = await newQueue();

    const runs = await Promise.all([
      announceEvent(announceDeps(queueUrl), published.event),
      announceEvent(announceDeps(queueUrl), published.event),
    ]);
    const keys = await drain(queueUrl);

    const epoch = (await mailings.get(announcementOf(published.event.id)))?.plan?.epoch;
    expect(new Set(keys.map((key) => key.epoch))).toEqual(new Set([epoch]));
    expect(runs.map((run) => run.queued).reduce((sum, queued) => sum + queued, 0)).toBeGreaterThan(0);
    expect(await plannedCounts(published)).toEqual(oncePerId(audienceOf(published)));
    await deliverAll(keys);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});

describe("the same SQS message delivered twice", () => {
  it("sends a batch once, whether the second delivery comes after the first or alongside it", async () => {
    const published = await publishEvent();
    const [first, ...rest] = await announceAndDrain(published);

    const once = await deliverBatch(deliverDeps(), first as BatchKey);
    const twice = await deliverBatch(deliverDeps(), first as BatchKey);
    expect(once.sent).toBeGreaterThan(0);
    expect(twice).toMatchObject({ sent: 0, untouched: "done" });
    for (const key of rest) {
      const reports = await Promise.all([deliverBatch(deliverDeps(), key), deliverBatch(deliverDeps(), key)]);
      expect(reports.filter((report) => report.untouched === undefined)).toHaveLength(1);
    }

    expect(rest.length).toBeGreaterThan(0);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});

describe("a deliverer given several messages", () => {
  it("reads the next batch and signs its links while the current one is with SES, one bulk call in flight, each batch sent once", async () => {
    const published = await publishEvent("big");
    const keys = await announceAndDrain(published);
    const recipients = async (key: BatchKey | undefined) =>
      (await ledger.get(key as BatchKey))?.subscriberIds.length ?? 0;
    // Two links per recipient: the first batch's, then the second one's.
    const signsOfTwoBatches = 2 * ((await recipients(keys[0])) + (await recipients(keys[1])));
    const steps: string[] = [];
    const signs = () => steps.filter((step) => step === "sign").length;
    let inFlight = 0;
    let mostInFlight = 0;
    const watchedLedger = intercept(ledger, "get", (get) => async (key) => {
      steps.push(`read ${key.seq}`);
      return get(key);
    });
    const mailer = mailerWith(async (input, send) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      steps.push("send");
      try {
        // The first call is with SES until the second batch's links are signed (or the wait fails).
        if (signs() < signsOfTwoBatches) await eventually(() => expect(signs()).toBe(signsOfTwoBatches));
        return await send(input);
      } finally {
        inFlight--;
        steps.push("sent");
      }
    });
    const broken = () => {
      throw new Error("Not a delivery message");
    };
    const signingKeys = {
      current: TEST_KEYS.links.current,
      keys: {
        get: (id: string) => {
          steps.push("sign");
          return TEST_KEYS.links.keys.get(id);
        },
      } as ReadonlyMap<string, string>,
    };
    const deps = deliverDeps({
      ledger: watchedLedger,
      mailer,
      links: signingKeys,
      templates: new TemplateCache(),
    });

    const outcomes = [];
    for await (const outcome of deliverInTurn(deps, [...keys.map((key) => () => key), broken])) {
      outcomes.push(outcome);
    }

    expect(outcomes.slice(0, -1).every((outcome) => "report" in outcome)).toBe(true);
    expect(outcomes.at(-1)).toEqual({
      error: expect.objectContaining({ message: "Not a delivery message" }),
    });
    expect(mostInFlight).toBe(1);
    // The second batch was read before the first one's bulk call came back.
    expect(steps.indexOf(`read ${keys[1]?.seq}`)).toBeGreaterThan(-1);
    expect(steps.indexOf(`read ${keys[1]?.seq}`)).toBeLessThan(steps.indexOf("sent"));
    // And its links were signed by then: signing is off the bulk calls' path.
    expect(steps.slice(0, steps.indexOf("sent")).filter((step) => step === "sign")).toHaveLength(
      signsOfTwoBatches,
    );
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});

describe("a deliverer given several messages, recording", () => {
  it("claims and sends the next batch while the previous one's outcomes are written, and reports the batches in order", async () => {
    const published = await publishEvent("big");
    const keys = await announceAndDrain(published);
    const steps: string[] = [];
    const claimed = () => steps.filter((step) => step.startsWith("claimed")).length;
    const watchedLedger = intercept(
      intercept(ledger, "claim", (claim) => async (key, now) => {
        const result = await claim(key, now);
        steps.push(`claimed ${key.seq}`);
        return result;
      }),
      "record",
      (record) => async (batch, claimedAt, now) => {
        // The first batch's record is written only once the next batch has been claimed (or the wait fails).
        if (batch.seq === keys[0]?.seq && keys.length > 1) await eventually(() => expect(claimed()).toBe(2));
        await record(batch, claimedAt, now);
        steps.push(`recorded ${batch.seq}`);
      },
    );
    let inFlight = 0;
    let mostInFlight = 0;
    const mailer = mailerWith(async (input, send) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        return await send(input);
      } finally {
        inFlight--;
      }
    });
    const deps = deliverDeps({ ledger: watchedLedger, mailer, templates: new TemplateCache() });

    const reports = [];
    for await (const outcome of deliverInTurn(
      deps,
      keys.map((key) => () => key),
    )) {
      reports.push(outcome);
    }

    expect(keys.length).toBeGreaterThan(1);
    expect(steps.indexOf(`claimed ${keys[1]?.seq}`)).toBeLessThan(steps.indexOf(`recorded ${keys[0]?.seq}`));
    expect(mostInFlight).toBe(1);
    // One report per batch, in the order of the messages, each for the batch's own recipients.
    const batches = await Promise.all(keys.map((key) => ledger.get(key)));
    expect(reports).toEqual(
      batches.map((batch) => ({ report: expect.objectContaining({ sent: batch?.subscriberIds.length }) })),
    );
    expect(batches.every((batch) => batch?.status === "done")).toBe(true);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});

describe("SES throttling", () => {
  it("of a third of the entries is retried with backoff, for those entries only, until each has one mail", async () => {
    const published = await publishEvent();
    const audience = audienceOf(published);
    const throttledAddresses = new Set(audience.filter((_, index) => index % 3 === 0).map((s) => s.email));
    const attempts = new Map<string, number>();
    const waits: number[] = [];
    const mailer = mailerWithEntryFaults((recipient) => {
      const attempt = (attempts.get(recipient) ?? 0) + 1;
      attempts.set(recipient, attempt);
      return throttledAddresses.has(recipient) && attempt <= 2 ? "ACCOUNT_THROTTLED" : undefined;
    });
    const keys = await announceAndDrain(published);

    await deliverAll(
      keys,
      deliverDeps({ mailer, sleep: async (milliseconds) => void waits.push(milliseconds) }),
    );

    expect(await mailCounts(published)).toEqual(oneEach(audience));
    for (const subscriber of audience) {
      expect(attempts.get(subscriber.email)).toBe(throttledAddresses.has(subscriber.email) ? 3 : 1);
    }
    // Two waits per batch that had throttled entries: 100–200 ms, then 200–300 ms.
    const batchesThrottled = (await plannedBatches(published)).filter((batch) =>
      batch.subscriberIds.some((id) =>
        throttledAddresses.has(audience.find((s) => s.id === id)?.email ?? ""),
      ),
    ).length;
    expect(waits.filter((wait) => wait >= 100 && wait < 200)).toHaveLength(batchesThrottled);
    expect(waits.filter((wait) => wait >= 200 && wait < 300)).toHaveLength(batchesThrottled);
  });

  it("of a whole call is retried with backoff like a throttled entry", async () => {
    const published = await publishEvent("ict", ["ka"]);
    let calls = 0;
    const mailer = mailerWith((input, send) => {
      if (++calls <= 2) throw throttled();
      return send(input);
    });

    await deliverAll(await announceAndDrain(published), deliverDeps({ mailer }));

    expect(calls).toBe(3);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });

  it("that outlasts the retries fails the batch for a later retry, which sends only the mails still missing", async () => {
    const published = await publishEvent();
    const [key] = await announceAndDrain(published);
    const [batch] = await plannedBatches(published);
    const recipients = (await subscribers.getMany(
      (batch as PlannedBatch).subscriberIds,
    )) as ActiveSubscriber[];
    const stuck = new Set(recipients.slice(0, 5).map((subscriber) => subscriber.email));
    const attempts = new Map<string, number>();
    const waits: number[] = [];
    const sesRecovers = { after: 5 };
    const mailer = mailerWithEntryFaults((recipient) => {
      const attempt = (attempts.get(recipient) ?? 0) + 1;
      attempts.set(recipient, attempt);
      return stuck.has(recipient) && attempt <= sesRecovers.after ? "TRANSIENT_FAILURE" : undefined;
    });
    const deps = deliverDeps({ mailer, sleep: async (milliseconds) => void waits.push(milliseconds) });

    await expect(deliverBatch(deps, key as BatchKey)).rejects.toBeInstanceOf(IncompleteDeliveryError);
    expect(await mailCounts(published)).toEqual(
      oneEach(recipients.filter((subscriber) => !stuck.has(subscriber.email))),
    );
    for (const address of stuck) expect(attempts.get(address)).toBe(5);
    expect(waits.map((wait) => Math.floor(wait / 100) * 100)).toEqual([100, 200, 400, 800]);
    const failed = await mailingStatus({ mailings, ledger }, announcementOf(published.event.id));
    expect(failed.plan[0]).toMatchObject({ state: "failed", sent: recipients.length - stuck.size });

    const retry = await deliverBatch(deps, key as BatchKey);

    expect(retry).toMatchObject({ sent: stuck.size, pending: 0, inDoubt: 0 });
    expect(await mailCounts(published)).toEqual(oneEach(recipients));
    const status = await mailingStatus({ mailings, ledger }, announcementOf(published.event.id));
    expect(status.plan[0]).toMatchObject({ state: "sent", sent: recipients.length, attempts: 2 });
  });
});

describe("a permanent refusal", () => {
  it("is recorded for that recipient and never retried; the rest of the batch is sent", async () => {
    const published = await publishEvent("ict", ["ka"]);
    const audience = audienceOf(published);
    const refused = audience[0] as ActiveSubscriber;
    let offered = 0;
    const mailer = mailerWithEntryFaults((recipient) => {
      if (recipient !== refused.email) return undefined;
      offered++;
      return "MESSAGE_REJECTED";
    });
    const keys = await announceAndDrain(published);

    await deliverAll(keys, deliverDeps({ mailer }));
    await deliverAll(keys, deliverDeps({ mailer }));

    expect(offered).toBe(1);
    expect(await mailCounts(published)).toEqual(
      oneEach(audience.filter((subscriber) => subscriber !== refused)),
    );
    const status = await mailingStatus({ mailings, ledger }, announcementOf(published.event.id));
    expect(status.recipients).toMatchObject({
      refused: 1,
      sent: audience.length - 1,
      pending: 0,
      inDoubt: 0,
    });
    expect(status.batches).toMatchObject({ sent: keys.length, failed: 0, "in-doubt": 0 });
  });
});

describe("a crash after the bulk call", () => {
  it("before the ledger recorded its outcome: the batch is never sent again and its recipients are listed in doubt", async () => {
    const published = await publishEvent();
    const [key, ...rest] = await announceAndDrain(published);
    const failingLedger = intercept(ledger, "record", (record) => async (batch, ...args) => {
      if (batch.seq === key?.seq) throw new SimulatedCrash("DynamoDB unreachable");
      return record(batch, ...args);
    });

    const crashed = await deliverBatch(deliverDeps({ ledger: failingLedger }), key as BatchKey);
    const rerun = await deliverBatch(deliverDeps(), key as BatchKey);
    await deliverAll(rest);

    const [batch] = await plannedBatches(published);
    expect(crashed).toMatchObject({
      inDoubt: batch?.subscriberIds.length,
      cause: expect.stringContaining("DynamoDB"),
    });
    expect(rerun).toMatchObject({ sent: 0, untouched: "sending" });
    // The README's choice for this window is "at most once": a duplicate is the one outcome ruled out.
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
    const status = await mailingStatus({ mailings, ledger }, announcementOf(published.event.id));
    expect(status.inDoubt.map((entry) => entry.subscriberId).sort()).toEqual(
      [...(batch?.subscriberIds ?? [])].sort(),
    );
    expect(status.plan[0]).toMatchObject({ state: "in-doubt" });
  });

  it("whose answer was lost: the batch is in doubt, never resent, and whoever SES did send has one mail", async () => {
    const published = await publishEvent();
    const [key, ...rest] = await announceAndDrain(published);
    let calls = 0;
    const losing = mailerWith(async (input, send) => {
      const output = await send(input);
      if (++calls === 1) throw new ConnectionReset("socket hang up");
      return output;
    });

    const report = await deliverBatch(deliverDeps({ mailer: losing }), key as BatchKey);
    await deliverAll([key as BatchKey, ...rest]);

    expect(report.inDoubt).toBeGreaterThan(0);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
    const status = await mailingStatus({ mailings, ledger }, announcementOf(published.event.id));
    expect(status.recipients.inDoubt).toBe(report.inDoubt);
    expect(status.batches["in-doubt"]).toBe(1);
  });
});

describe("a crash in the middle of planning or queueing", () => {
  it("while planning: the rerun plans again under a new epoch, and nothing of the dead run is ever queued", async () => {
    const published = await publishEvent("big");
    const queueUrl = await newQueue();
    let reads = 0;
    // Before ten batches are read: it dies before its first segment was committed.
    const dying = intercept(subscribers, "audienceIds", (audienceIds) => async (...args) => {
      if (++reads === 5) throw new SimulatedCrash("process died while reading the audience");
      return audienceIds(...args);
    });
    await expect(
      announceEvent(announceDeps(queueUrl, { subscribers: dying, segmentBatches: TEN }), published.event),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect((await mailings.get(announcementOf(published.event.id)))?.status).toBe("planning");

    await announceEvent(announceDeps(queueUrl), published.event);
    const keys = await drain(queueUrl);

    const mailing = await mailings.get(announcementOf(published.event.id));
    expect(mailing).toMatchObject({ status: "queued", planEpoch: 2, plan: { epoch: 2 } });
    expect(new Set(keys.map((key) => key.epoch))).toEqual(new Set([2]));
    expect(await plannedCounts(published)).toEqual(oncePerId(audienceOf(published)));
    await deliverAll(keys);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });

  it("while queueing: the rerun goes on from the last batch queued, each batch queued once", async () => {
    const published = await publishEvent("big");
    const queueUrl = await newQueue();
    const deps = announceDeps(queueUrl, { segmentBatches: TEN });
    let requests = 0;
    const queue = intercept(deps.queue, "enqueue", (enqueue) => async (keys) => {
      if (++requests === 2) throw new SimulatedCrash("process died while queueing");
      return enqueue(keys);
    });
    await expect(announceEvent({ ...deps, queue }, published.event)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await mailings.get(announcementOf(published.event.id))).toMatchObject({
      status: "planned",
      queuedThrough: 10,
    });

    await announceEvent(announceDeps(queueUrl), published.event);
    const keys = await drain(queueUrl);

    const batches = await plannedBatches(published);
    expect(batches.length).toBeGreaterThan(10);
    expect(queuedCounts(keys)).toEqual(Object.fromEntries(batches.map((batch) => [batch.seq, 1])));
    await deliverAll(keys);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });

  it("after a segment was queued and before the next was committed: the rerun goes on after it, and each subscriber gets one mail", async () => {
    const published = await publishEvent("big");
    const ref = announcementOf(published.event.id);
    const queueUrl = await newQueue();
    let commits = 0;
    const store = intercept(mailings, "commitSegment", (commit) => async (...args) => {
      if (++commits === 2) throw new SimulatedCrash("process died before committing the next segment");
      return commit(...args);
    });
    await expect(
      announceEvent(announceDeps(queueUrl, { mailings: store, segmentBatches: TEN }), published.event),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    const stopped = await mailings.get(ref);
    expect(stopped).toMatchObject({
      status: "planning",
      segments: [{ epoch: 1, through: 10 }],
      queuedThrough: 0,
    });
    // The dead run wrote its second segment, uncommitted: it is no part of the plan ops see.
    expect(await ledger.get({ ...ref, epoch: 1, seq: 11 })).toBeDefined();
    expect((await mailingStatus({ mailings, ledger }, ref)).plan.map((batch) => batch.batch)).toEqual(
      Array.from({ length: 10 }, (_, index) => index + 1),
    );

    await announceEvent(announceDeps(queueUrl), published.event);
    const keys = await drain(queueUrl);

    const batches = await plannedBatches(published);
    expect(batches.map((batch) => [batch.seq, batch.epoch])).toEqual(
      batches.map((batch) => [batch.seq, batch.seq <= 10 ? 1 : 2]),
    );
    expect(await plannedCounts(published)).toEqual(oncePerId(audienceOf(published)));
    // Not known to be queued, the first segment was queued again: the claim makes that harmless.
    expect(queuedCounts(keys)).toEqual(
      Object.fromEntries(batches.map((batch) => [batch.seq, batch.seq <= 10 ? 2 : 1])),
    );
    await deliverAll(keys);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });

  it("a superseded planner's late writes change nothing: its commit fails and its batches are never read", async () => {
    const published = await publishEvent("big");
    const ref = announcementOf(published.event.id);
    const queueUrl = await newQueue();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let writes = 0;
    let stalled = false;
    const stalling = intercept(ledger, "putPlanned", (putPlanned) => async (batches) => {
      if (++writes === 2) {
        stalled = true;
        await held;
      }
      return putPlanned(batches);
    });
    const late = announceEvent(
      announceDeps(queueUrl, { ledger: stalling, segmentBatches: TEN }),
      published.event,
    );
    await eventually(() => expect(stalled).toBe(true));

    // Taken for dead, the stalled planner is superseded by a rerun that plans on after its first segment.
    await announceEvent(announceDeps(queueUrl), published.event);
    const planned = await plannedBatches(published);
    release();

    expect(await late).toEqual({ queued: 10, skipped: "superseded" });
    expect(await ledger.get({ ...ref, epoch: 1, seq: 11 })).toMatchObject({ epoch: 1, status: "planned" });
    expect(await mailings.get(ref)).toMatchObject({ status: "queued", planEpoch: 2 });
    expect(await plannedBatches(published)).toEqual(planned);
    expect(await plannedCounts(published)).toEqual(oncePerId(audienceOf(published)));
    const keys = await drain(queueUrl);
    expect(keys.every((key) => key.epoch === (key.seq <= 10 ? 1 : 2))).toBe(true);
    await deliverAll(keys);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});

describe("resuming a mailing, whatever happened to the queue", () => {
  it("re-queues exactly the batches not sent yet, and answers a conflict once every batch was sent", async () => {
    const published = await publishEvent("big");
    const ref = announcementOf(published.event.id);
    const keys = await announceAndDrain(published);
    // Half the batches went out; the messages of the others were lost (a purge, a crash, a DLQ that aged out).
    const sent = keys.slice(0, Math.floor(keys.length / 2));
    await deliverAll(sent);
    const queueUrl = await newQueue();
    const resumeDeps = { mailings, ledger, queue: new DeliveryQueue(sqs, queueUrl) };

    const resumed = await resumeMailing(resumeDeps, ref, "announcement");
    const requeued = await drain(queueUrl);

    const unsent = keys.slice(sent.length).map((key) => key.seq);
    expect(resumed.action).toBe("requeued");
    expect(resumed.requeued.map((batch) => batch.batch).sort((a, b) => a - b)).toEqual(unsent);
    expect(requeued.map((key) => key.seq).sort((a, b) => a - b)).toEqual(unsent);
    await deliverAll(requeued);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
    await expect(resumeMailing(resumeDeps, ref, "announcement")).rejects.toBeInstanceOf(ConflictError);
  });

  it("of a plan committed in part: its unsent batches go back on the queue and planning goes on after them", async () => {
    const published = await publishEvent("big");
    const ref = announcementOf(published.event.id);
    let commits = 0;
    const store = intercept(mailings, "commitSegment", (commit) => async (...args) => {
      if (++commits === 2) throw new SimulatedCrash("process died while planning");
      return commit(...args);
    });
    await expect(
      announceEvent(
        announceDeps(await newQueue(), { mailings: store, segmentBatches: TEN }),
        published.event,
      ),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    // The queue lost the first segment's messages.
    const queueUrl = await newQueue();
    const resumeDeps = { mailings, ledger, queue: new DeliveryQueue(sqs, queueUrl) };

    const resumed = await resumeMailing(resumeDeps, ref, "announcement");

    expect(resumed.action).toBe("planning");
    expect(resumed.requeued.map((batch) => batch.batch)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect((await mailings.get(ref))?.status).toBe("requested");
    // What the stream then hands the announcer: the planner goes on after the committed segment.
    await announceEvent(announceDeps(queueUrl), published.event);
    const keys = await drain(queueUrl);
    expect(await plannedCounts(published)).toEqual(oncePerId(audienceOf(published)));
    await deliverAll(keys);
    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
    await expect(resumeMailing(resumeDeps, ref, "announcement")).rejects.toBeInstanceOf(ConflictError);
  });

  it("asks for the plan again when planning never finished", async () => {
    const published = await publishEvent();
    const ref = announcementOf(published.event.id);
    const queueUrl = await newQueue();
    const dying = intercept(ledger, "putPlanned", () => async () => {
      throw new SimulatedCrash("process died while planning");
    });
    await expect(
      announceEvent(announceDeps(queueUrl, { ledger: dying }), published.event),
    ).rejects.toBeInstanceOf(SimulatedCrash);

    const resumed = await resumeMailing(
      { mailings, ledger, queue: new DeliveryQueue(sqs, queueUrl) },
      ref,
      "announcement",
    );

    expect(resumed).toMatchObject({ action: "planning", requeued: [] });
    expect((await mailings.get(ref))?.status).toBe("requested");
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

  it("nobody, when the event is cancelled between planning and delivery", async () => {
    const published = await publishEvent();
    const keys = await announceAndDrain(published);
    const cancelled: StoredEvent = {
      ...published.event,
      status: "cancelled",
      cancelledAt: new Date().toISOString(),
      revision: published.event.revision + 1,
    };
    await events.replaceEvent(cancelled, published.event);

    await deliverAll(keys);

    expect(keys.length).toBeGreaterThan(0);
    expect(await mailCounts(published)).toEqual({});
    const status = await mailingStatus({ mailings, ledger }, announcementOf(published.event.id));
    expect(status.recipients).toMatchObject({ sent: 0, skipped: audienceOf(published).length, pending: 0 });
  });

  it("not a subscriber who unsubscribed between planning and delivery", async () => {
    const leaving = subscriberRecord("leaving-en-0@example.org", { series: ["late"] });
    await subscribers.save(leaving, undefined);
    const published = await publishEvent("late");
    const keys = await announceAndDrain(published);
    expect((await plannedCounts(published))[leaving.id]).toBe(1);
    const unsubscribed = tombstoneOf(leaving, "unsubscribed", new Date());
    await subscribers.save(unsubscribed, leaving);

    await deliverAll(keys);

    expect(await mailCounts(published)).toEqual(oneEach(audienceOf(published)));
  });
});
