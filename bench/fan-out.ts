/**
 * The announcement fan-out on the local stack: N confirmed subscribers in every language, then one
 * publish, timed to the Nth mail SES accepted (announcer plans and queues → SQS → poller →
 * deliverer → one SendBulkEmail per batch), then a change notice to the same audience (an edit,
 * the sweep as of its due time, planned from the announcement's ledger, sent the same way); side by side with a bare SendBulkEmail loop and a bare
 * per-mail SendEmail loop that send the same mails straight to the same local SES. Then the
 * deliverer alone, batch after batch, to show that its memory does not grow with the audience.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  SESv2Client,
  SendBulkEmailCommand,
  type SendBulkEmailCommandInput,
  SendEmailCommand,
} from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent } from "aws-lambda";
import { localLambdaContext } from "../local/lambda-context";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../local/local-account";
import { seedOnFirstStart } from "../local/seed";
import { SEED_SERIES_ID } from "../local/seed-data";
import { storedMailCount } from "../local/ses-server";
import type { LocalStack } from "../local/stack";
import { DeliveryLedger } from "../shared/adapters/dynamodb/delivery-ledger";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { loadConfig } from "../shared/config";
import { type PlannedBatch, RECIPIENTS_PER_BATCH } from "../shared/domain/mailings";
import { parsePseudonymKey } from "../shared/domain/subscriptions/keys";
import { type ActiveSubscriber, subscriberIdFor } from "../shared/domain/subscriptions/subscriber";
import { type ResourceSampler, type ResourceUsage, sampleResources, settle } from "./measure";
import {
  callAsEditor,
  clearMailStore,
  createDraftEvent,
  publishEvent,
  type StoredMail,
  storedMails,
} from "./stack-client";
import type { Table, TableRow } from "./table";
import { isDynamoDbRead, isDynamoDbWrite, type WireCounter } from "./wire-counter";

/** The local stack's SQS poller runs this many deliverer invocations at once (local/stack.ts). */
const POLLER_CONCURRENCY = 2;
/** Mails in flight in the per-mail loop: what the per-mail deliverer had (2 invocations × 4 sends). */
const PER_MAIL_CONCURRENCY = 8;
/** Mails the per-mail loop sends at most. */
const PER_MAIL_MAILS = 2_000;
/** No mail for this long means the fan-out is stuck: fail instead of waiting for ever. */
const STALL_MS = 60_000;
/** The pipeline counts as finished once nothing but idle SQS polls has reached a server for this long. */
const QUIET_MS = 300;
const SETUP_CONCURRENCY = 16;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const subscriberAddress = (index: number) => `subscriber-${index}@example.org`;

const documentClient = (endpoint: string) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

const sesClient = (endpoint: string) =>
  new SESv2Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

/**
 * Writes confirmed subscribers straight to dynalite, past the stream emulator: setup makes no
 * stream records. Languages in turn; one in ten chose the seed series, the others every series.
 */
const writeConfirmedSubscribers = async (dynaliteEndpoint: string, count: number): Promise<string[]> => {
  const { languages, subscribersTableName } = loadConfig();
  const documents = documentClient(dynaliteEndpoint);
  const repository = new SubscriberRepository(documents, subscribersTableName as string);
  const keys = { pseudonyms: parsePseudonymKey(process.env.PSEUDONYM_KEY as string) };
  const now = new Date().toISOString();
  const ids: string[] = [];
  const subscriber = (index: number): ActiveSubscriber => {
    const email = subscriberAddress(index);
    const language = languages[index % languages.length] as string;
    const id = subscriberIdFor(keys, email);
    ids.push(id);
    return {
      id,
      email,
      language,
      series: index % 10 === 0 ? [SEED_SERIES_ID] : [],
      status: "confirmed",
      createdAt: now,
      updatedAt: now,
      linkVersion: 1,
      consent: { subscribedAt: now, confirmedAt: now, language, source: "bench", subscribeIpHash: "bench" },
    };
  };
  let next = 0;
  const worker = async () => {
    while (next < count) await repository.save(subscriber(next++), undefined);
  };
  try {
    await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
  } finally {
    documents.destroy();
  }
  return ids;
};

interface MailRun {
  seconds: number;
  /** From the start to the first mail SES accepted. */
  firstMailSeconds: number;
  /** Mails accepted after the first ones were seen, over the time from then to the last: the sending rate alone. */
  sendingRate: number;
  usage: ResourceUsage;
  sampler: ResourceSampler;
}

/** Runs `start` and resolves when SES holds `expected` more mails, timed to the moment the last arrived. */
const timeMails = async (
  counter: WireCounter,
  expected: number,
  start: () => Promise<unknown>,
): Promise<MailRun> => {
  counter.reset();
  const target = storedMailCount() + expected;
  const before = storedMailCount();
  let seen = before;
  let lastAcceptedAt = performance.now();
  let first: { at: number; mails: number } | undefined;
  const sampler = sampleResources();
  const started = performance.now();
  let poll: NodeJS.Timeout | undefined;
  const allAccepted = new Promise<void>((resolve, reject) => {
    poll = setInterval(() => {
      const now = storedMailCount();
      if (now > seen) {
        seen = now;
        lastAcceptedAt = performance.now();
        first ??= { at: lastAcceptedAt, mails: now - before };
      }
      if (now >= target) resolve();
      else if (performance.now() - lastAcceptedAt > STALL_MS) {
        reject(
          new Error(`stalled: SES accepted ${now - (target - expected)} of ${expected} mails, then none`),
        );
      }
    }, 2);
  });
  try {
    await Promise.all([start(), allAccepted]);
    const usage = sampler.stop();
    const firstSeen = first ?? { at: lastAcceptedAt, mails: expected };
    const sendingSeconds = (lastAcceptedAt - firstSeen.at) / 1000;
    return {
      seconds: (lastAcceptedAt - started) / 1000,
      firstMailSeconds: (firstSeen.at - started) / 1000,
      sendingRate: sendingSeconds > 0 ? (expected - firstSeen.mails) / sendingSeconds : Number.NaN,
      usage,
      sampler,
    };
  } finally {
    clearInterval(poll);
  }
};

/** Waits until only idle SQS polls reach the servers, so the last batches' ledger writes are counted. */
const untilQuiet = async (counter: WireCounter): Promise<void> => {
  while (performance.now() - counter.lastBusyAt() < QUIET_MS) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS / 3));
  }
};

const runWorkers = async (count: number, concurrency: number, work: (index: number) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

const attachmentsOf = (mail: StoredMail) =>
  mail.attachments?.map((attachment) => ({
    FileName: attachment.filename ?? "attachment",
    ContentType: attachment.contentType,
    RawContent: Buffer.from(attachment.content, "base64"),
    ContentDisposition: "ATTACHMENT" as const,
  }));

/**
 * The bare bulk loop: the same mails as the fan-out (each language's template, one language per
 * call as SES needs, ≤ 50 a call), `concurrency` calls at once, nothing else.
 */
const sendBulkStraightToSes = async (
  sesEndpoint: string,
  samples: StoredMail[],
  count: number,
  concurrency: number,
) => {
  const client = sesClient(sesEndpoint);
  const calls = samples.flatMap((mail, language) => {
    const recipients = Math.floor(count / samples.length) + (language < count % samples.length ? 1 : 0);
    return Array.from({ length: Math.ceil(recipients / RECIPIENTS_PER_BATCH) }, (_, call) => ({
      mail,
      first: `${language}-${call * RECIPIENTS_PER_BATCH}`,
      size: Math.min(RECIPIENTS_PER_BATCH, recipients - call * RECIPIENTS_PER_BATCH),
    }));
  });
  try {
    await runWorkers(calls.length, concurrency, async (index) => {
      const { mail, first, size } = calls[index] as (typeof calls)[number];
      const template: SendBulkEmailCommandInput["DefaultContent"] = {
        Template: {
          TemplateContent: { Subject: "{{subject}}", Html: "{{html}}", Text: "{{text}}" },
          TemplateData: JSON.stringify({
            subject: mail.subject,
            html: mail.body.html ?? "",
            text: mail.body.text ?? "",
          }),
          Attachments: attachmentsOf(mail),
        },
      };
      await client.send(
        new SendBulkEmailCommand({
          FromEmailAddress: mail.from,
          DefaultContent: template,
          DefaultEmailTags: [{ Name: "kind", Value: "announcement" }],
          BulkEmailEntries: Array.from({ length: size }, (_, entry) => ({
            Destination: { ToAddresses: [`bulk-${first}-${entry}@example.org`] },
            ReplacementHeaders: mail.headers?.map(({ name, value }) => ({ Name: name, Value: value })),
            ReplacementTags: [{ Name: "subscriber", Value: `${first}-${entry}` }],
          })),
        }),
      );
    });
  } finally {
    client.destroy();
  }
};

/** The bare per-mail loop: `count` SendEmail calls at `concurrency`, the mails copied from the fan-out's own. */
const sendEachStraightToSes = async (
  sesEndpoint: string,
  mails: StoredMail[],
  count: number,
  concurrency: number,
) => {
  const client = sesClient(sesEndpoint);
  try {
    await runWorkers(count, concurrency, async (index) => {
      const mail = mails[index % mails.length] as StoredMail;
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [`single-${index}@example.org`] },
          EmailTags: [
            { Name: "kind", Value: "announcement" },
            { Name: "subscriber", Value: String(index) },
          ],
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: "UTF-8" },
              Body: {
                Html: mail.body.html === undefined ? undefined : { Data: mail.body.html, Charset: "UTF-8" },
                Text: mail.body.text === undefined ? undefined : { Data: mail.body.text, Charset: "UTF-8" },
              },
              Headers: mail.headers?.map(({ name, value }) => ({ Name: name, Value: value })),
              Attachments: attachmentsOf(mail),
            },
          },
        }),
      );
    });
  } finally {
    client.destroy();
  }
};

/** Every mail went to a different recipient, and each got one: exactly one announcement each. */
const checkOnePerRecipient = (mails: StoredMail[], expected: number, what: string): void => {
  const recipients = new Set(mails.flatMap((mail) => mail.destination.to));
  if (mails.length !== expected || recipients.size !== expected) {
    throw new Error(`${what}: ${mails.length} mails to ${recipients.size} recipients, expected ${expected}`);
  }
};

/** Calls per 1,000 mails by service, DynamoDB as the handlers call it (the stream emulator's port). */
const perThousand = (counts: Map<string, number>, mails: number) => {
  const total = (match: (service: string, operation: string) => boolean) =>
    [...counts].reduce((sum, [key, calls]) => {
      const [service = "", operation = ""] = key.split(" ");
      return match(service, operation) ? sum + calls : sum;
    }, 0);
  const per = (calls: number) => round((calls / mails) * 1000, 1);
  return {
    "SES/1k": per(total((service) => service === "ses")),
    "SQS/1k": per(total((service) => service === "sqs")),
    "DDB reads/1k": per(total((service, operation) => service === "dynamodb" && isDynamoDbRead(operation))),
    "DDB writes/1k": per(total((service, operation) => service === "dynamodb" && isDynamoDbWrite(operation))),
  };
};

/**
 * `withRss` is false for a run after another in the same process: the resident set keeps the
 * earlier run's high-water mark, so its growth would read as nearly zero.
 */
const resourceColumns = (run: MailRun, retainedMB: number, withRss: boolean) => ({
  "peak Δrss MB": withRss ? round(run.usage.peakRssMB, 1) : undefined,
  "peak Δheap MB": round(run.usage.peakHeapMB, 1),
  "kept Δheap MB": round(retainedMB, 1),
  "CPU %": round(run.usage.cpuPercent, 0),
});

/** Per operation, per 1,000 mails; the local stream emulator's own reads on a line of their own. */
const operationRows = (counts: Map<string, number>, mails: number): TableRow[] => {
  const rows: TableRow[] = [];
  const proxied = new Map<string, number>();
  for (const [key, calls] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const [service = "", operation = ""] = key.split(" ");
    if (service === "dynalite") continue;
    if (service === "dynamodb") proxied.set(operation, calls);
    const kind =
      service !== "dynamodb"
        ? ""
        : isDynamoDbRead(operation)
          ? "read"
          : isDynamoDbWrite(operation)
            ? "write"
            : "other";
    rows.push({
      subscribers: mails,
      service: service === "dynamodb" ? "DynamoDB" : service.toUpperCase(),
      operation: kind ? `${operation} (${kind})` : operation,
      calls,
      "per 1,000 mails": round((calls / mails) * 1000, 1),
    });
  }
  // dynalite gets every proxied call plus the emulator's GetItems of old and new images.
  const dynaliteCalls = [...counts].reduce(
    (sum, [key, calls]) => (key.startsWith("dynalite ") ? sum + calls : sum),
    0,
  );
  const emulatorReads = dynaliteCalls - [...proxied.values()].reduce((sum, calls) => sum + calls, 0);
  rows.push({
    subscribers: mails,
    service: "(local only)",
    operation: "stream emulator image reads",
    calls: emulatorReads,
    "per 1,000 mails": round((emulatorReads / mails) * 1000, 1),
  });
  return rows;
};

/**
 * The deliverer alone, as Lambda runs it: the handler the stack uses, fed one message per batch of
 * a plan of the same audience (a mailing of its own), the SES store emptied after each batch so that
 * only the deliverer's own memory is left to grow. Heap after a collection, every tenth of the run.
 */
const delivererAlone = async (stack: LocalStack, eventId: string, ids: string[]) => {
  const { subscribersTableName, languages } = loadConfig();
  const documents = documentClient(stack.endpoints.dynamodb);
  const ledger = new DeliveryLedger(documents, subscribersTableName as string);
  // A mailing of its own, apart from the announcement and the notice: the event's reminder, which nothing else plans here.
  const ref = { eventId, mailing: "reminder" };
  const batches: PlannedBatch[] = [];
  for (const language of languages) {
    const ofLanguage = ids.filter((_, index) => languages[index % languages.length] === language);
    for (let start = 0; start < ofLanguage.length; start += RECIPIENTS_PER_BATCH) {
      batches.push({
        ...ref,
        epoch: 1,
        seq: batches.length + 1,
        language,
        subscriberIds: ofLanguage.slice(start, start + RECIPIENTS_PER_BATCH),
        status: "planned",
        outcomes: {},
        attempts: 0,
        expiresAt: 1_900_000_000,
      });
    }
  }
  for (let start = 0; start < batches.length; start += 25)
    await ledger.putPlanned(batches.slice(start, start + 25));
  documents.destroy();
  const deliverer = (await import("../functions/deliverer")).handler;
  const heap = () => {
    settle();
    return process.memoryUsage().heapUsed / 1e6;
  };
  const samples: number[] = [heap()];
  let mails = 0;
  for (const [index, batch] of batches.entries()) {
    const event = {
      Records: [
        {
          messageId: `bench-${batch.seq}`,
          body: JSON.stringify({ ...ref, epoch: 1, seq: batch.seq }),
          attributes: { ApproximateReceiveCount: "1" },
        },
      ],
    } as unknown as SQSEvent;
    const result = await deliverer(event, localLambdaContext("deliverer"));
    if (result.batchItemFailures.length > 0) throw new Error(`batch ${batch.seq} failed`);
    mails += storedMailCount();
    await clearMailStore(stack);
    if ((index + 1) % Math.max(1, Math.floor(batches.length / 10)) === 0) samples.push(heap());
  }
  if (mails !== ids.length) throw new Error(`deliverer alone: ${mails} mails for ${ids.length} subscribers`);
  return {
    batches: batches.length,
    first: samples[0] as number,
    spread: Math.max(...samples) - Math.min(...samples),
  };
};

export const benchFanOut = async (
  stack: LocalStack,
  counter: WireCounter,
  subscribers: number,
  sesLatencyMs: number,
): Promise<Table[]> => {
  const { languages } = loadConfig();
  // The seed event is announced before anyone subscribes (drained: the announcer is done): it mails no one.
  await seedOnFirstStart(stack.url, stack.adminToken);
  await stack.drained();
  const ids = await writeConfirmedSubscribers(stack.endpoints.dynamodb, subscribers);
  const eventId = await createDraftEvent(stack, "bench-fan-out");
  await stack.drained();
  await untilQuiet(counter);
  await clearMailStore(stack);

  const pipeline = await timeMails(counter, subscribers, () => publishEvent(stack, eventId));
  await stack.drained();
  await untilQuiet(counter);
  const pipelineCalls = counter.counts();
  const pipelineKept = pipeline.sampler.retainedHeapMB();
  const mails = await storedMails(stack);
  checkOnePerRecipient(mails, subscribers, "fan-out");
  // The mails of the first subscribers, one per language, for the bare loops to send the same bytes.
  const samples = languages.flatMap(
    (_, index) => mails.find((mail) => mail.destination.to.includes(subscriberAddress(index))) ?? [],
  );
  mails.length = 0;
  await clearMailStore(stack);

  // A change notice to the same audience, by the same path: move the event, then sweep as of its due time.
  const notice = await timeMails(counter, subscribers, async () => {
    const current = await callAsEditor(stack, "GET", `/api/admin/events/${eventId}`);
    await callAsEditor(stack, "PUT", `/api/admin/events/${eventId}`, {
      ...current,
      start: "2031-06-02",
      end: "2031-06-02",
    });
    await stack.drained();
    await stack.sweep(new Date(Date.now() + (loadConfig().noticeDelayMinutes + 1) * 60_000).toISOString());
  });
  await stack.drained();
  await untilQuiet(counter);
  const noticeCalls = counter.counts();
  const noticeKept = notice.sampler.retainedHeapMB();
  checkOnePerRecipient(await storedMails(stack), subscribers, "notice");
  await clearMailStore(stack);

  const bulk = await timeMails(counter, subscribers, () =>
    sendBulkStraightToSes(stack.endpoints.ses, samples, subscribers, POLLER_CONCURRENCY),
  );
  const bulkCalls = counter.counts();
  const bulkKept = bulk.sampler.retainedHeapMB();
  checkOnePerRecipient(await storedMails(stack), subscribers, "bare bulk loop");
  await clearMailStore(stack);

  // At most PER_MAIL_MAILS: its rate is what it shows, and at the SES latency it takes minutes for 10,000.
  const singles = Math.min(subscribers, PER_MAIL_MAILS);
  const single = await timeMails(counter, singles, () =>
    sendEachStraightToSes(stack.endpoints.ses, samples, singles, PER_MAIL_CONCURRENCY),
  );
  const singleCalls = counter.counts();
  const singleKept = single.sampler.retainedHeapMB();
  checkOnePerRecipient(await storedMails(stack), singles, "bare per-mail loop");
  await clearMailStore(stack);

  const alone = await delivererAlone(stack, eventId, ids);

  const bulkRate = subscribers / bulk.seconds;
  const bulkSendingRate = bulk.sendingRate;
  const row = (
    name: string,
    inFlight: string,
    mailsSent: number,
    run: MailRun,
    calls: Map<string, number>,
    kept: number,
    rss: boolean,
  ) => ({
    benchmark: "fan-out",
    case: name,
    "SES ms": sesLatencyMs,
    mails: mailsSent,
    "in flight": inFlight,
    s: round(run.seconds, 2),
    "mails/s": round(mailsSent / run.seconds, 1),
    "× bare bulk": round(mailsSent / run.seconds / bulkRate, 2),
    "first mail ms": Math.round(run.firstMailSeconds * 1000),
    "sending mails/s": round(run.sendingRate, 1),
    "× bare, sending": round(run.sendingRate / bulkSendingRate, 2),
    ...perThousand(calls, mailsSent),
    ...resourceColumns(run, kept, rss),
  });
  return [
    {
      title:
        "Announcement and notice fan-out, local stack: publish (or edit) → last mail accepted by SES (one process, all servers in it)",
      notes: [
        "in flight: deliverer invocations (each one SendBulkEmail of ≤ 50) or SendEmail calls at once.",
        "× bare bulk: mails/s over the bare SendBulkEmail loop's in the same run (goal for eventcast: ≥ 0.8),",
        "  from the publish (or edit) to the last mail: it includes the time to the first mail.",
        "first mail ms: from the publish (the edit and sweep for the notice; the first call for a bare loop) to the",
        "  first mail SES accepted: the event's write and stream, the plan's first segment, the queue, the first batch's reads.",
        "sending mails/s: mails accepted after the first were seen, over the time from then to the last; × bare, sending",
        "  compares it with the bare bulk loop's measured the same way: the rate of sending alone, without the latency.",
        "/1k: API calls per 1,000 mails, counted at the servers (goals: SES ≤ 25, DDB writes ≤ 100);",
        "DDB = DynamoDB as the handlers call it; SQS includes the poller's receives and deletes, idle polls too.",
        "Memory is the whole process (local servers, SES store, dynalite's data, announcer, deliverer) over a",
        "baseline after GC: peak Δ includes garbage; kept Δ is after GC at the end, mostly the SES store's mails.",
        "The bare loops' Δrss is left out: they run after the fan-out, under its high-water mark.",
      ],
      rows: [
        row(
          "eventcast: publish → plan → SQS → deliverer → SendBulkEmail",
          String(POLLER_CONCURRENCY),
          subscribers,
          pipeline,
          pipelineCalls,
          pipelineKept,
          true,
        ),
        row(
          "eventcast notice: edit → sweep → plan from the ledger → SQS → deliverer → SendBulkEmail",
          String(POLLER_CONCURRENCY),
          subscribers,
          notice,
          noticeCalls,
          noticeKept,
          false,
        ),
        row(
          "bare SendBulkEmail loop, same mails",
          String(POLLER_CONCURRENCY),
          subscribers,
          bulk,
          bulkCalls,
          bulkKept,
          false,
        ),
        row(
          "bare per-mail SendEmail loop, same mails",
          String(PER_MAIL_CONCURRENCY),
          singles,
          single,
          singleCalls,
          singleKept,
          false,
        ),
      ],
    },
    {
      title:
        "The deliverer alone: its handler fed every batch of the same audience, SES store emptied after each",
      notes: [
        "Heap after a collection, sampled every tenth of the batches: the spread is what the deliverer keeps as",
        "it sends more mail. Flat in N: the same for 1,000 and 10,000 subscribers.",
      ],
      rows: [
        {
          benchmark: "deliverer memory",
          subscribers,
          batches: alone.batches,
          "heap at start MB": round(alone.first, 1),
          "heap spread MB": round(alone.spread, 1),
        },
      ],
    },
    {
      title: "Fan-out API calls by operation (eventcast pipeline, counted at the local servers)",
      rows: operationRows(pipelineCalls, subscribers),
      notes: [
        "From the publish call until only idle polls remain: the feed publisher's S3 writes included.",
        "Stream emulator image reads: its GetItems of the old and new image of every write; no AWS cost.",
      ],
    },
  ];
};
