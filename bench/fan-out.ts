/**
 * The announcement fan-out on the local stack: N confirmed subscribers in every language, then one
 * publish, timed to the Nth mail SES accepted (announcer → SQS → poller → deliverer → SES); side by
 * side with a bare loop that sends N mails straight to the same local SES at the same concurrency.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../local/local-account";
import { seedOnFirstStart } from "../local/seed";
import { SEED_SERIES_ID } from "../local/seed-data";
import type { LocalStack } from "../local/stack";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { loadConfig } from "../shared/config";
import { type Subscriber, subscriberIdFor } from "../shared/domain/subscriptions/subscriber";
import { type ResourceSampler, type ResourceUsage, sampleResources } from "./measure";
import { clearMailStore, createDraftEvent, publishEvent, type StoredMail, storedMails } from "./stack-client";
import type { Table, TableRow } from "./table";
import { isDynamoDbRead, isDynamoDbWrite, type WireCounter } from "./wire-counter";

/** The local stack's SQS poller runs this many deliverer invocations at once (local/stack.ts). */
const POLLER_CONCURRENCY = 2;
/** No mail for this long means the fan-out is stuck: fail instead of waiting for ever. */
const STALL_MS = 60_000;
/** The pipeline counts as finished once nothing but idle SQS polls has reached a server for this long. */
const QUIET_MS = 300;
const SETUP_CONCURRENCY = 16;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const subscriberAddress = (index: number) => `subscriber-${index}@example.org`;

/**
 * Writes confirmed subscribers straight to dynalite, past the stream emulator: setup makes no
 * stream records. Languages in turn; one in ten chose the seed series, the others every series.
 */
const writeConfirmedSubscribers = async (dynaliteEndpoint: string, count: number): Promise<void> => {
  const { languages, subscribersTableName, pseudonymKey } = loadConfig();
  const client = new DynamoDBClient({
    endpoint: dynaliteEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const repository = new SubscriberRepository(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    subscribersTableName as string,
  );
  const now = new Date().toISOString();
  const subscriber = (index: number): Subscriber => {
    const email = subscriberAddress(index);
    const language = languages[index % languages.length] as string;
    return {
      id: subscriberIdFor({ pseudonyms: pseudonymKey as string }, email),
      linkVersion: 1,
      email,
      language,
      series: index % 10 === 0 ? [SEED_SERIES_ID] : [],
      status: "confirmed",
      createdAt: now,
      updatedAt: now,
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
    client.destroy();
  }
};

interface MailRun {
  seconds: number;
  usage: ResourceUsage;
  sampler: ResourceSampler;
}

/** Runs `start` and resolves when SES has accepted `expected` mails, timed to the last acceptance. */
const timeMails = async (
  counter: WireCounter,
  expected: number,
  start: () => Promise<unknown>,
): Promise<MailRun> => {
  counter.reset();
  let accepted = 0;
  let lastAcceptedAt = performance.now();
  let finish = () => {};
  const allAccepted = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const stopListening = counter.onAnswer((call, status) => {
    if (call.service !== "ses" || call.operation !== "SendEmail" || status !== 200) return;
    accepted++;
    lastAcceptedAt = performance.now();
    if (accepted === expected) finish();
  });
  let watchdog: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    watchdog = setInterval(() => {
      if (performance.now() - lastAcceptedAt > STALL_MS) {
        reject(
          new Error(`stalled: SES accepted ${accepted} of ${expected} mails, then none for ${STALL_MS} ms`),
        );
      }
    }, 1000);
  });
  const sampler = sampleResources();
  const started = performance.now();
  try {
    await Promise.race([Promise.all([start(), allAccepted]), stalled]);
    const usage = sampler.stop();
    return { seconds: (lastAcceptedAt - started) / 1000, usage, sampler };
  } finally {
    clearInterval(watchdog);
    stopListening();
  }
};

/** Waits until only idle SQS polls reach the servers, so the last mails' ledger writes are counted. */
const untilQuiet = async (counter: WireCounter): Promise<void> => {
  while (performance.now() - counter.lastBusyAt() < QUIET_MS) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS / 3));
  }
};

/** The bare loop: `count` SendEmail calls at `concurrency`, the mails copied from the fan-out's own. */
const sendStraightToSes = async (
  sesEndpoint: string,
  mails: StoredMail[],
  count: number,
  concurrency: number,
) => {
  const client = new SESv2Client({
    endpoint: sesEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const mail = mails[index % mails.length] as StoredMail;
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [`ceiling-${index}@example.org`] },
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
              Attachments: mail.attachments?.map((attachment) => ({
                FileName: attachment.filename ?? "attachment",
                ContentType: attachment.contentType,
                RawContent: Buffer.from(attachment.content, "base64"),
                ContentDisposition: "ATTACHMENT",
              })),
            },
          },
        }),
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    client.destroy();
  }
};

/** Every mail went to a different subscriber, and each got one: exactly one announcement each. */
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

export const benchFanOut = async (
  stack: LocalStack,
  counter: WireCounter,
  subscribers: number,
): Promise<Table[]> => {
  const { languages } = loadConfig();
  const sendConcurrency = 1;
  // The seed event is announced before anyone subscribes (drained: the announcer is done): it mails no one.
  await seedOnFirstStart(stack.url, stack.adminToken);
  await stack.drained();
  await writeConfirmedSubscribers(stack.endpoints.dynamodb, subscribers);
  const eventId = await createDraftEvent(stack, "bench-fan-out");
  await stack.drained();
  await untilQuiet(counter);

  const pipeline = await timeMails(counter, subscribers, () => publishEvent(stack, eventId));
  await stack.drained();
  await untilQuiet(counter);
  const pipelineCalls = counter.counts();
  const pipelineKept = pipeline.sampler.retainedHeapMB();
  const mails = await storedMails(stack);
  checkOnePerRecipient(mails, subscribers, "fan-out");
  // The mails of the first subscribers, one per language, for the bare loop to send the same bytes.
  const samples = languages.flatMap(
    (_, index) => mails.find((mail) => mail.destination.to.includes(subscriberAddress(index))) ?? [],
  );
  mails.length = 0;
  await clearMailStore(stack);

  const concurrency = POLLER_CONCURRENCY * sendConcurrency;
  const ceiling = await timeMails(counter, subscribers, () =>
    sendStraightToSes(stack.endpoints.ses, samples, subscribers, concurrency),
  );
  const ceilingCalls = counter.counts();
  const ceilingKept = ceiling.sampler.retainedHeapMB();
  checkOnePerRecipient(await storedMails(stack), subscribers, "bare loop");
  await clearMailStore(stack);

  const mailsPerSecond = (run: MailRun) => round(subscribers / run.seconds, 1);
  return [
    {
      title:
        "Announcement fan-out, local stack: publish → last mail accepted by SES (one process, all servers in it)",
      notes: [
        "in flight: poller invocations × SEND_CONCURRENCY. /1k: API calls per 1,000 mails, counted at the servers;",
        "DDB = DynamoDB as the handlers call it; SQS includes the poller's receives and deletes, idle polls too.",
        "Memory is the whole process (local servers, SES store, stream emulator, announcer, deliverer) over a",
        "baseline after GC: peak Δ includes garbage; kept Δ is after GC at the end, mostly the SES store's mails.",
        "The bare loop's Δrss is left out: it runs second, under the fan-out's high-water mark.",
      ],
      rows: [
        {
          benchmark: "fan-out",
          case: "eventcast: publish → announcer → SQS → deliverer",
          mails: subscribers,
          "in flight": `${POLLER_CONCURRENCY} × ${sendConcurrency}`,
          s: round(pipeline.seconds, 2),
          "mails/s": mailsPerSecond(pipeline),
          "% of ceiling": round((ceiling.seconds / pipeline.seconds) * 100, 0),
          ...perThousand(pipelineCalls, subscribers),
          ...resourceColumns(pipeline, pipelineKept, true),
        },
        {
          benchmark: "fan-out",
          case: "ceiling: bare SendEmail loop, same mails",
          mails: subscribers,
          "in flight": String(concurrency),
          s: round(ceiling.seconds, 2),
          "mails/s": mailsPerSecond(ceiling),
          "% of ceiling": 100,
          ...perThousand(ceilingCalls, subscribers),
          ...resourceColumns(ceiling, ceilingKept, false),
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
