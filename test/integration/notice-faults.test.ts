import { randomUUID } from "node:crypto";
import { SESv2Client, TooManyRequestsException } from "@aws-sdk/client-sesv2";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../../shared/adapters/dynamodb/delivery-ledger";
import { DueMailings } from "../../shared/adapters/dynamodb/due-mailings";
import { EventRepository } from "../../shared/adapters/dynamodb/event-repository";
import { MailingStore } from "../../shared/adapters/dynamodb/mailing-store";
import { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import { Mailer } from "../../shared/adapters/ses/mailer";
import { DeliveryQueue, parseDeliveryMessage } from "../../shared/adapters/sqs/delivery-queue";
import { type Config, loadConfig } from "../../shared/config";
import type { StoredEvent } from "../../shared/domain/event";
import type { BatchKey, MailingRef } from "../../shared/domain/mailings";
import { type ActiveSubscriber, tombstoneOf } from "../../shared/domain/subscriptions/subscriber";
import { type DeliverDeps, deliverBatch, TemplateCache } from "../../shared/use-cases/deliver-mailing";
import {
  cancellationOf,
  type FollowUpDeps,
  followEventChange,
  reminderOf,
  runRequestedMailing,
} from "../../shared/use-cases/follow-up-mailings";
import { mailingStatus, resumeMailing, resumeOpenMailings } from "../../shared/use-cases/manage-mailings";
import { sweepDueMailings } from "../../shared/use-cases/sweep-due-mailings";
import { intercept, SimulatedCrash } from "../support/faults";
import { TEST_KEYS, useLocalAws } from "../support/local-aws";
import { clearSentMails, mailCountsByRecipient, sentMails } from "../support/local-mail";
import { takeAll } from "../support/queues";
import { saveSubscribers, subscriberRecord } from "../support/subscribers";

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
let due: DueMailings;

/** 60 English readers (two batches) and 6 Ukrainian ones: the audience of every event here. */
const audience: ActiveSubscriber[] = [
  ...Array.from({ length: 60 }, (_, index) =>
    subscriberRecord(`notice-en-${index}@example.org`, { language: "en" }),
  ),
  ...Array.from({ length: 6 }, (_, index) =>
    subscriberRecord(`notice-uk-${index}@example.org`, { language: "uk" }),
  ),
];

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
  due = new DueMailings(documents, config.tableName);
  await events.putSeries({
    id: "ict",
    translations: { en: { name: "ICT" } },
    updatedAt: new Date().toISOString(),
  });
  await saveSubscribers(subscribers, audience);
});
afterAll(async () => {
  sqs?.destroy();
  ses?.destroy();
  documents?.destroy();
  await servers?.stop();
});
beforeEach(() => clearSentMails(sesUrl));

let queueCounter = 0;
const newQueue = async (): Promise<string> => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `notices-${++queueCounter}` }));
  return QueueUrl as string;
};
const drain = async (queueUrl: string): Promise<BatchKey[]> =>
  (await takeAll(sqs, queueUrl)).map((message) => parseDeliveryMessage(message.Body ?? ""));

const followDeps = (queueUrl: string): FollowUpDeps => ({
  mailings,
  ledger,
  subscribers,
  due,
  queue: new DeliveryQueue(sqs, queueUrl),
  languages: config.languages,
  defaultLanguage: config.defaultLanguage,
  noticeDelayMinutes: 30,
  reminderLeadHours: 24,
});
const sweepDeps = {
  get events() {
    return events;
  },
  get mailings() {
    return mailings;
  },
  get due() {
    return due;
  },
  reminderLeadHours: 24,
};

const deliverDeps = (changes: Partial<DeliverDeps> = {}): DeliverDeps => ({
  events,
  subscribers,
  ledger,
  mailings,
  mailer: new Mailer(ses, config.senderAddress, "eventcast-test-set"),
  links: TEST_KEYS.links,
  config,
  sleep: async () => {},
  ...changes,
});
const deliverAll = async (keys: BatchKey[], deps = deliverDeps()) => {
  for (const key of keys) await deliverBatch(deps, key);
};

/** A published event in English whose title carries a tag, so its mails can be told apart. */
const publishedEvent = async (): Promise<{ event: StoredEvent; tag: string }> => {
  const id = randomUUID();
  const tag = `#${id.slice(0, 8)}`;
  const now = new Date().toISOString();
  const event: StoredEvent = {
    id,
    slug: `forum-${id}`,
    series: "ict",
    start: "2030-12-14T10:00",
    end: "2030-12-14T12:00",
    timeZone: "Asia/Tbilisi",
    location: { type: "online", url: "https://example.org/live" },
    speakers: [],
    translations: { en: { title: `Forum ${tag}` } },
    status: "published",
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    revision: 2,
  };
  await events.createEvent(event);
  return { event, tag };
};

/** An edit as the editors' API stores it, returning the stream's before and after images. */
const change = async (event: StoredEvent, changes: Partial<StoredEvent>) => {
  const next: StoredEvent = {
    ...event,
    ...changes,
    updatedAt: new Date().toISOString(),
    revision: event.revision + 1,
  };
  await events.replaceEvent(next, event);
  return next;
};

const counts = (tag: string, subject: RegExp) =>
  mailCountsByRecipient(sesUrl, (mail) => mail.subject.includes(tag) && subject.test(mail.subject));
const oneEach = (recipients: ActiveSubscriber[]) =>
  Object.fromEntries(recipients.map((subscriber) => [subscriber.email, 1]));
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** Announces an event from its publication record and delivers every batch. */
const announced = async () => {
  const published = await publishedEvent();
  const queueUrl = await newQueue();
  const draft = { ...published.event, status: "draft" as const, revision: 1 };
  await followEventChange(followDeps(queueUrl), draft, published.event, new Date().toISOString());
  await deliverAll(await drain(queueUrl));
  return published;
};

/** What the announcer does with the mailing records a sweep wrote (each record delivered `times` over). */
const planRequested = async (ref: MailingRef, times = 1) => {
  const queueUrl = await newQueue();
  await Promise.all(
    Array.from({ length: times }, async () =>
      runRequestedMailing(
        followDeps(queueUrl),
        ref,
        await events.getEvent(ref.eventId),
        new Date().toISOString(),
      ),
    ),
  );
  return drain(queueUrl);
};

describe("a change notice under faults", () => {
  it("sends one notice per announced subscriber despite a duplicate stream record, a duplicate request and duplicate SQS deliveries", async () => {
    const { event, tag } = await announced();
    expect(await counts(tag, /^Forum/)).toEqual(oneEach(audience));
    // Confirmed after the announcement: the ledger does not name them.
    const late = subscriberRecord(`late-${tag.slice(1)}@example.org`);
    await saveSubscribers(subscribers, [late]);

    const moved = await change(event, { start: "2030-12-14T14:00", end: "2030-12-14T16:00" });
    const queueUrl = await newQueue();
    for (let copy = 0; copy < 2; copy++) {
      await followEventChange(followDeps(queueUrl), event, moved, new Date().toISOString());
    }
    expect(await sweepDueMailings(sweepDeps, inMinutes(29))).toEqual([]);
    const [started, again] = await Promise.all([
      sweepDueMailings(sweepDeps, inMinutes(31)),
      sweepDueMailings(sweepDeps, inMinutes(31)),
    ]);
    const requested = [...(started ?? []), ...(again ?? [])].filter(
      (outcome) => outcome.action === "requested",
    );
    const names = new Set(requested.map((outcome) => ("mailing" in outcome ? outcome.mailing : "")));
    expect(names.size).toBe(1);
    const keys = await planRequested({ eventId: event.id, mailing: [...names][0] as string }, 2);
    // Every message delivered twice, as SQS may: the claim lets each batch go out once.
    await deliverAll([...keys, ...keys]);

    expect(await counts(tag, /^New time: /)).toEqual(oneEach(audience.filter((s) => s.language === "en")));
    expect(await counts(tag, /^Новий час: /)).toEqual(oneEach(audience.filter((s) => s.language === "uk")));
    const [mail] = (await sentMails(sesUrl)).filter((sent) => sent.subject === `New time: Forum ${tag}`);
    expect(mail?.body.text).toContain(
      "Time: 14 December 2030 10:00–12:00 → 14:00–16:00 GMT+4 (Asia/Tbilisi)",
    );

    // The move's record comes once more, late: the settled notice is not started over.
    await followEventChange(followDeps(await newQueue()), event, moved, new Date().toISOString());
    expect(await sweepDueMailings(sweepDeps, inMinutes(60))).toEqual([]);
    // Leaves, so the later events' audiences are the fixture's again.
    await subscribers.save(tombstoneOf(late, "unsubscribed", new Date()), late);
  });

  it("retries throttled bulk calls and still sends each notice once; who left since is skipped", async () => {
    const { event, tag } = await announced();
    const leaving = audience[3] as ActiveSubscriber;
    await subscribers.save(tombstoneOf(leaving, "unsubscribed", new Date()), leaving);
    const moved = await change(event, { location: { type: "online", url: "https://example.org/other" } });
    await followEventChange(followDeps(await newQueue()), event, moved, new Date().toISOString());
    const [outcome] = await sweepDueMailings(sweepDeps, inMinutes(31));
    const keys = await planRequested({
      eventId: event.id,
      mailing: (outcome as { mailing: string }).mailing,
    });

    const throttling = new SESv2Client({ maxAttempts: 1 });
    let calls = 0;
    throttling.middlewareStack.add(
      (next) => async (args) => {
        if (++calls <= 2) throw new TooManyRequestsException({ message: "slow down", $metadata: {} });
        return next(args);
      },
      { step: "initialize", name: "throttleTwice" },
    );
    await deliverAll(
      keys,
      deliverDeps({ mailer: new Mailer(throttling, config.senderAddress, "eventcast-test-set") }),
    );

    expect(calls).toBeGreaterThan(2);
    const expected = oneEach(audience.filter((subscriber) => subscriber !== leaving));
    expect({
      ...(await counts(tag, /^New online link: /)),
      ...(await counts(tag, /^Нове онлайн-посилання: /)),
    }).toEqual(expected);
    await subscribers.save(leaving, await subscribers.get(leaving.id));
  });
});

describe("changes made while the announcement is going out", () => {
  it("notice each recipient whose announcement showed other facts, old → new from what they were shown", async () => {
    const { event, tag } = await publishedEvent();
    const queueUrl = await newQueue();
    const draft = { ...event, status: "draft" as const, revision: 1 };
    await followEventChange(followDeps(queueUrl), draft, event, new Date().toISOString());
    const [first, second, third] = await drain(queueUrl);
    const recipientsOf = async (key: BatchKey) => {
      const ids = new Set((await ledger.get(key))?.subscriberIds);
      return audience.filter((subscriber) => ids.has(subscriber.id));
    };

    // Batch 1 shows 10:00, batch 2 (after a move) 14:00, batch 3 (after another of the same burst) 16:00.
    await deliverAll([first as BatchKey]);
    const moved = await change(event, { start: "2030-12-14T14:00", end: "2030-12-14T16:00" });
    await followEventChange(followDeps(await newQueue()), event, moved, new Date().toISOString());
    await deliverAll([second as BatchKey]);
    const movedAgain = await change(moved, { start: "2030-12-14T16:00", end: "2030-12-14T18:00" });
    await followEventChange(followDeps(await newQueue()), moved, movedAgain, new Date().toISOString());
    await deliverAll([third as BatchKey]);

    const [outcome] = (await sweepDueMailings(sweepDeps, inMinutes(31))).filter(
      (found) => found.eventId === event.id,
    );
    await deliverAll(
      await planRequested({ eventId: event.id, mailing: (outcome as { mailing: string }).mailing }),
    );
    const notices = (await sentMails(sesUrl)).filter(
      (mail) => mail.subject.includes(tag) && /^(New time|Новий час): /.test(mail.subject),
    );
    const noticeOf = (subscriber: ActiveSubscriber) =>
      notices.filter((mail) => mail.destination.to[0] === subscriber.email);
    const [shown10, shown14, shown16] = await Promise.all(
      [first, second, third].map((key) => recipientsOf(key as BatchKey)),
    );
    expect(notices).toHaveLength((shown10?.length ?? 0) + (shown14?.length ?? 0));
    for (const subscriber of shown16 ?? []) expect(noticeOf(subscriber)).toEqual([]);
    const timeLine = (from: string) => `${from} → 16:00–18:00`;
    for (const subscriber of shown10 ?? []) {
      expect(noticeOf(subscriber)).toHaveLength(1);
      expect(noticeOf(subscriber)[0]?.body.text).toContain(timeLine("10:00–12:00"));
    }
    for (const subscriber of shown14 ?? []) {
      expect(noticeOf(subscriber)).toHaveLength(1);
      expect(noticeOf(subscriber)[0]?.body.text).toContain(timeLine("14:00–16:00"));
    }
  });
});

describe("a notice or reminder asked for an event cancelled in between", () => {
  it("is dropped with its reason, out of the open mailings, so no redrive asks for it again", async () => {
    const { event } = await announced();
    const moved = await change(event, { start: "2030-12-14T15:00", end: "2030-12-14T17:00" });
    await followEventChange(followDeps(await newQueue()), event, moved, new Date().toISOString());
    const outcomes = (await sweepDueMailings(sweepDeps, "2030-12-14T06:00:00Z")).filter(
      (found) => found.eventId === event.id,
    );
    expect(outcomes.map((found) => found.action)).toEqual(["requested", "requested"]);
    const notice = { eventId: event.id, mailing: (outcomes[0] as { mailing: string }).mailing };
    // Cancelled before the announcer read the requests.
    await change(moved, { status: "cancelled", cancelledAt: new Date().toISOString() });

    for (const ref of [notice, reminderOf(event.id)]) {
      expect(await planRequested(ref)).toEqual([]);
      const status = await mailingStatus({ mailings, ledger }, ref);
      expect(status.status).toBe("dropped");
      expect(status.dropped?.reason).toBe("the event is cancelled, not published");
      // An editor's resume answers why (a 409), and asks for nothing.
      await expect(
        resumeMailing({ mailings, ledger, queue: new DeliveryQueue(sqs, await newQueue()) }, ref, "notice"),
      ).rejects.toThrow(`The ${ref.mailing} was dropped: the event is cancelled, not published`);
      expect((await mailings.get(ref))?.status).toBe("dropped");
    }
    const resumed = await resumeOpenMailings({
      mailings,
      ledger,
      queue: new DeliveryQueue(sqs, await newQueue()),
    });
    // Only the announcement, open until a redrive sees it complete, is still looked at.
    expect(resumed.filter((found) => found.eventId === event.id).map((found) => found.mailing)).toEqual([
      "announcement",
    ]);
  });
});

describe("cancellations and reminders", () => {
  it("sends nothing when an event that was never announced is cancelled", async () => {
    const { event } = await publishedEvent();
    const cancelled = await change(event, { status: "cancelled", cancelledAt: new Date().toISOString() });
    const queueUrl = await newQueue();
    const outcome = await followEventChange(followDeps(queueUrl), event, cancelled, new Date().toISOString());
    expect(outcome).toEqual({ action: "none", reason: "never announced" });
    expect(await mailings.get(cancellationOf(event.id))).toBeUndefined();
    expect(await drain(queueUrl)).toEqual([]);
  });

  it("sends the cancellation once despite a duplicate record, and drops the pending notice and reminder", async () => {
    const { event, tag } = await announced();
    const moved = await change(event, { start: "2030-12-14T11:00", end: "2030-12-14T13:00" });
    await followEventChange(followDeps(await newQueue()), event, moved, new Date().toISOString());
    const cancelled = await change(moved, { status: "cancelled", cancelledAt: new Date().toISOString() });
    const queueUrl = await newQueue();
    for (let copy = 0; copy < 2; copy++) {
      await followEventChange(followDeps(queueUrl), moved, cancelled, new Date().toISOString());
    }
    await deliverAll(await drain(queueUrl));
    expect({ ...(await counts(tag, /^Cancelled/)), ...(await counts(tag, /^Скасовано/)) }).toEqual(
      oneEach(audience),
    );

    // Neither the notice of the move nor the reminder goes out for a cancelled event.
    const outcomes = await sweepDueMailings(sweepDeps, "2030-12-14T00:00:00Z");
    expect(outcomes.filter((outcome) => outcome.eventId === event.id)).toEqual([
      { eventId: event.id, due: "notice", action: "not-published" },
      { eventId: event.id, due: "reminder", action: "dropped" },
    ]);
    expect(await mailings.get({ eventId: event.id, mailing: "reminder" })).toBeUndefined();
  });

  it("sends the cancellation once each when its planner died after a first segment and a rerun went on", async () => {
    const { event, tag } = await announced();
    const cancelled = await change(event, { status: "cancelled", cancelledAt: new Date().toISOString() });
    const queueUrl = await newQueue();
    // One batch a segment: the 66 readers' three batches make three segments.
    const deps = { ...followDeps(queueUrl), segmentBatches: 1 };
    let commits = 0;
    const dying = intercept(mailings, "commitSegment", (commit) => async (...args) => {
      if (++commits === 2) throw new SimulatedCrash("process died before its second segment");
      return commit(...args);
    });
    await expect(
      followEventChange({ ...deps, mailings: dying }, event, cancelled, new Date().toISOString()),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await mailings.get(cancellationOf(event.id))).toMatchObject({
      status: "planning",
      segments: [{ epoch: 1, through: 1 }],
    });

    await followEventChange(deps, event, cancelled, new Date().toISOString());
    await deliverAll(await drain(queueUrl));

    expect(await mailings.get(cancellationOf(event.id))).toMatchObject({
      status: "queued",
      plan: { batches: 3, recipients: audience.length },
    });
    expect({ ...(await counts(tag, /^Cancelled/)), ...(await counts(tag, /^Скасовано/)) }).toEqual(
      oneEach(audience),
    );
  });

  it("reminds once, when due, those who want reminders, after following a move", async () => {
    const { event, tag } = await announced();
    const noReminders = { ...(audience[5] as ActiveSubscriber), reminders: false };
    await subscribers.save(noReminders, audience[5]);
    const moved = await change(event, { start: "2030-12-15T10:00", end: "2030-12-15T12:00" });
    await followEventChange(followDeps(await newQueue()), event, moved, new Date().toISOString());
    await sweepDueMailings(sweepDeps, inMinutes(31));

    // Due 24 h before the new start (06:00 UTC on 15 December): not at the old time.
    const early = await sweepDueMailings(sweepDeps, "2030-12-13T06:00:00Z");
    expect(early.filter((outcome) => outcome.due === "reminder" && outcome.eventId === event.id)).toEqual([]);
    const [started] = (await sweepDueMailings(sweepDeps, "2030-12-14T06:00:00Z")).filter(
      (outcome) => outcome.eventId === event.id,
    );
    expect(started).toEqual({ eventId: event.id, due: "reminder", action: "requested" });
    const [first, ...rest] = await planRequested(reminderOf(event.id), 2);
    // One warm deliverer sends the first batch at 10:00 in Tbilisi the day before, the others after
    // midnight there: its cached templates say "Tomorrow" only on the day they were made for.
    const templates = new TemplateCache();
    await deliverAll([first as BatchKey], deliverDeps({ templates, now: () => "2030-12-14T06:00:00Z" }));
    await deliverAll(
      [...rest, first as BatchKey, ...rest],
      deliverDeps({ templates, now: () => "2030-12-14T20:30:00Z" }),
    );
    const later = await sweepDueMailings(sweepDeps, "2030-12-15T09:00:00Z");
    expect(later.filter((outcome) => outcome.eventId === event.id)).toEqual([]);

    const expected = oneEach(audience.filter((subscriber) => subscriber.id !== noReminders.id));
    const tomorrow = await counts(tag, /^Tomorrow at 10:00 GMT\+4: Forum #/);
    const today = {
      ...(await counts(tag, /^Today at 10:00 GMT\+4: /)),
      ...(await counts(tag, /^Сьогодні о 10:00 GMT\+4: /)),
    };
    expect({ ...tomorrow, ...today }).toEqual(expected);
    const firstIds = new Set((await ledger.get(first as BatchKey))?.subscriberIds);
    expect(Object.keys(tomorrow).sort()).toEqual(
      audience
        .filter((s) => firstIds.has(s.id) && s.id !== noReminders.id)
        .map((s) => s.email)
        .sort(),
    );
    expect(Object.keys(today).length).toBeGreaterThan(0);
    await subscribers.save(audience[5] as ActiveSubscriber, noReminders);
  });

  it("sends a change notice still waiting out its delay before the reminder that falls due meanwhile", async () => {
    const { event, tag } = await announced();
    // Moved to 23 hours from now (Tbilisi is UTC+4 all year): its reminder is due at once, while
    // the notice would wait out its 30 minutes.
    const tbilisi = (hours: number) =>
      new Date(Date.now() + (hours + 4) * 3_600_000).toISOString().slice(0, 16);
    const moved = await change(event, { start: tbilisi(23), end: tbilisi(25) });
    await followEventChange(followDeps(await newQueue()), event, moved, new Date().toISOString());

    const outcomes = (await sweepDueMailings(sweepDeps, inMinutes(1))).filter(
      (outcome) => outcome.eventId === event.id,
    );

    expect(outcomes).toEqual([
      {
        eventId: event.id,
        due: "reminder",
        action: "requested",
        noticeFirst: expect.stringMatching(/^notice-/),
      },
    ]);
    const notice = { eventId: event.id, mailing: (outcomes[0] as { noticeFirst: string }).noticeFirst };
    await deliverAll(await planRequested(notice));
    expect(await counts(tag, /^New date and time: /)).toEqual(
      oneEach(audience.filter((s) => s.language === "en")),
    );
    // The notice is no longer waiting: its delay's end asks for nothing more.
    const later = await sweepDueMailings(sweepDeps, inMinutes(31));
    expect(later.filter((outcome) => outcome.eventId === event.id)).toEqual([]);
  });
});
