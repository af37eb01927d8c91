import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBStreamEvent, SQSEvent } from "aws-lambda";
import { ORIGIN_SECRET_HEADER } from "../shared/http/origin";
import { ANNOUNCER_FILTERS, FEED_PUBLISHER_FILTERS } from "../shared/pipeline/stream-filters";
import { type AwsEndpoints, localAwsEnv, provisionResources, startAwsServers } from "./aws-servers";
import { type HttpLambda, startHttpFront } from "./http-front";
import { localLambdaContext } from "./lambda-context";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "./local-account";
import { LOCAL_REBUILD_PATH } from "./local-routes";
import { startQueuePoller } from "./queue-poller";
import { type StreamDeliveryFailure, startStreamEmulator } from "./stream-emulator";

export interface LocalStackOptions {
  /** The HTTP front (API + feeds); 0 picks a free port. */
  port: number;
  /** The local SES and its mail viewer; 0 picks a free port. */
  sesPort: number;
  /** Where DynamoDB, S3 and the generated secrets persist; in memory when absent. */
  dataDir?: string;
  /** Base of every link the system writes; http://localhost:<port> when absent. */
  publicUrl?: string;
  adminToken?: string;
  host?: string;
  /** How long the local SES takes to answer a send, as the real one does; none by default. */
  sesLatencyMs?: number;
  /** How often the sweep of due notices and reminders runs from the local clock; every 5 s by default, 0 never. */
  sweepIntervalMs?: number;
}

export interface LocalStack {
  url: string;
  publicUrl: string;
  sesUrl: string;
  adminToken: string;
  endpoints: AwsEndpoints;
  /** DynamoDB as the handlers reach it: through the stream emulator, so that writes make stream records. */
  dynamodb: string;
  queueUrls: {
    deliveries: string;
    deliveriesDeadLetter: string;
    streamFailures: string;
    subscriptionRequests: string;
  };
  /** Resolves when every captured write has been handled by the stream consumers. */
  drained(): Promise<void>;
  /** Runs the sweep of due notices and reminders now, as of `now` (ISO 8601; the clock by default): tests move the clock. */
  sweep(now?: string): Promise<unknown>;
  stop(): Promise<void>;
}

export const LOCAL_NAMES = {
  table: "eventcast",
  subscribersTable: "eventcast-subscribers",
  bucket: "eventcast-feeds",
  deliveries: "eventcast-deliveries",
  deliveriesDeadLetter: "eventcast-deliveries-dlq",
  subscriptionRequests: "eventcast-subscription-requests",
  subscriptionRequestsDeadLetter: "eventcast-subscription-requests-dlq",
  streamFailures: "eventcast-stream-failures",
} as const;

interface LocalSecrets {
  adminToken: string;
  /** The link keyring, as JSON: rotate by adding a key and pointing `current` at it. */
  linkKeys: string;
  pseudonymKey: string;
  /** What the local front, as CloudFront does, adds to every API request. */
  originSecret: string;
}

/** Generated once and kept in the data folder, so tokens and mailed links survive a restart. */
const loadSecrets = async (
  dataDir: string | undefined,
  adminToken: string | undefined,
): Promise<LocalSecrets> => {
  const generated = {
    adminToken: randomBytes(24).toString("base64url"),
    linkKeys: JSON.stringify({ current: "k1", k1: randomBytes(32).toString("base64url") }),
    pseudonymKey: randomBytes(32).toString("base64url"),
    originSecret: randomBytes(32).toString("base64url"),
  };
  if (!dataDir) return { ...generated, adminToken: adminToken ?? generated.adminToken };
  const file = join(dataDir, "secrets.json");
  const stored = await readFile(file, "utf8").then(
    (text) => JSON.parse(text) as LocalSecrets,
    () => undefined,
  );
  const secrets = { ...generated, ...stored };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return { ...secrets, adminToken: adminToken ?? secrets.adminToken };
};

/**
 * The whole of eventcast on one machine: real local AWS servers, the stream emulator in front of
 * DynamoDB, the SQS poller and the HTTP front, all feeding the very handlers that run in Lambda.
 * Handlers read their configuration from the environment, so one process hosts one stack.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const host = options.host ?? "127.0.0.1";
  const servers = await startAwsServers({
    dataDir: options.dataDir ? join(options.dataDir) : undefined,
    host,
    ports: { ses: options.sesPort },
    sesLatencyMs: options.sesLatencyMs,
  });
  const stops: (() => Promise<void>)[] = [() => servers.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const { queueUrls } = await provisionResources({
      endpoints: servers.endpoints,
      tableName: LOCAL_NAMES.table,
      subscribersTableName: LOCAL_NAMES.subscribersTable,
      bucketName: LOCAL_NAMES.bucket,
      queues: [
        {
          name: LOCAL_NAMES.deliveries,
          visibilityTimeoutSeconds: 30,
          deadLetter: { name: LOCAL_NAMES.deliveriesDeadLetter, maxReceiveCount: 5 },
        },
        { name: LOCAL_NAMES.streamFailures },
        {
          name: LOCAL_NAMES.subscriptionRequests,
          visibilityTimeoutSeconds: 30,
          deadLetter: { name: LOCAL_NAMES.subscriptionRequestsDeadLetter, maxReceiveCount: 5 },
        },
      ],
    });
    const urls = {
      deliveries: queueUrls[LOCAL_NAMES.deliveries] as string,
      deliveriesDeadLetter: queueUrls[LOCAL_NAMES.deliveriesDeadLetter] as string,
      streamFailures: queueUrls[LOCAL_NAMES.streamFailures] as string,
      subscriptionRequests: queueUrls[LOCAL_NAMES.subscriptionRequests] as string,
    };
    const streams = await startStreamEmulator({
      target: servers.endpoints.dynamodb,
      tableName: LOCAL_NAMES.table,
      host,
    });
    stops.push(() => streams.stop());

    // Handlers are imported once their environment is set; the front calls them through this table.
    const handlers: Record<"admin" | "public" | "rebuild", HttpLambda | undefined> = {
      admin: undefined,
      public: undefined,
      rebuild: undefined,
    };
    const s3 = new S3Client({
      endpoint: servers.endpoints.s3,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const secrets = await loadSecrets(options.dataDir, options.adminToken);
    const front = await startHttpFront({
      port: options.port,
      host,
      s3,
      bucket: LOCAL_NAMES.bucket,
      originHeaders: { [ORIGIN_SECRET_HEADER]: secrets.originSecret },
      routes: [
        { prefix: "/api/admin", handler: (event, context) => (handlers.admin as HttpLambda)(event, context) },
        { prefix: "/api", handler: (event, context) => (handlers.public as HttpLambda)(event, context) },
        // `npm run rebuild`: what `aws lambda invoke` of the publisher does deployed; local only.
        {
          prefix: LOCAL_REBUILD_PATH,
          handler: (event, context) => (handlers.rebuild as HttpLambda)(event, context),
        },
      ],
    });
    stops.push(() => front.stop());
    const port = new URL(front.url).port;
    const publicUrl = options.publicUrl ?? `http://localhost:${port}`;

    Object.assign(process.env, localAwsEnv({ ...servers.endpoints, dynamodb: streams.endpoint }), {
      TABLE_NAME: LOCAL_NAMES.table,
      SUBSCRIBERS_TABLE: LOCAL_NAMES.subscribersTable,
      FEED_BUCKET: LOCAL_NAMES.bucket,
      PUBLIC_URL: publicUrl,
      ADMIN_TOKEN: secrets.adminToken,
      LINK_KEYS: secrets.linkKeys,
      PSEUDONYM_KEY: secrets.pseudonymKey,
      ORIGIN_SECRET: secrets.originSecret,
      DELIVERY_QUEUE_URL: urls.deliveries,
      SUBSCRIPTION_QUEUE_URL: urls.subscriptionRequests,
      // CloudWatch metrics are EMF lines in the logs: noise on a terminal, nothing to collect them.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? "true",
      SENDER_ADDRESS: process.env.SENDER_ADDRESS ?? "eventcast <events@eventcast.localhost>",
      POSTAL_ADDRESS: process.env.POSTAL_ADDRESS ?? "1 Example Street, 1000 Brussels, Belgium",
    });
    handlers.admin = (await import("../functions/admin-api")).handler as HttpLambda;
    handlers.public = (await import("../functions/public-api")).handler as HttpLambda;
    const feedPublisher = (await import("../functions/feed-publisher")).handler;
    const { RebuildRequestError } = await import("../shared/use-cases/publish-feeds");
    handlers.rebuild = async (event) => {
      if (event.requestContext.http.method !== "POST") return { statusCode: 405, body: "POST only" };
      if (event.headers.authorization !== `Bearer ${secrets.adminToken}`)
        return { statusCode: 403, body: "" };
      const evenIfEmpty = event.queryStringParameters?.evenIfEmpty === "true";
      const dropLanguages = event.queryStringParameters?.dropLanguages?.split(",").filter(Boolean) ?? [];
      let summary: Awaited<ReturnType<typeof feedPublisher>>;
      try {
        summary = await feedPublisher(
          {
            rebuild: true,
            ...(evenIfEmpty ? { evenIfEmpty } : {}),
            ...(dropLanguages.length > 0 ? { dropLanguages } : {}),
          },
          localLambdaContext("feed-publisher"),
        );
      } catch (error) {
        if (!(error instanceof RebuildRequestError)) throw error;
        return {
          statusCode: 400,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message: error.message }),
        };
      }
      return {
        statusCode: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(summary),
      };
    };
    const announcer = (await import("../functions/announcer")).handler;
    const deliverer = (await import("../functions/deliverer")).handler;
    const subscriptionMailer = (await import("../functions/subscription-mailer")).handler;
    const sweeper = (await import("../functions/sweeper")).handler;

    const failures = new SQSClient({
      endpoint: servers.endpoints.sqs,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => failures.destroy());
    // Like Lambda's on-failure destination: what exhausted its retries is kept on a queue, not lost.
    const parkFailure = async (failure: StreamDeliveryFailure) => {
      console.error(
        `${failure.subscriber}: ${failure.records.length} stream record(s) failed ${failure.attempts} times`,
        failure.error,
      );
      await failures.send(
        new SendMessageCommand({
          QueueUrl: urls.streamFailures,
          MessageBody: JSON.stringify({
            subscriber: failure.subscriber,
            records: failure.records,
            error: String(failure.error),
          }),
        }),
      );
    };
    streams.subscribe({
      name: "feed-publisher",
      filters: FEED_PUBLISHER_FILTERS,
      batchSize: 100,
      maxRetries: 5,
      handler: async (event: DynamoDBStreamEvent) => {
        await feedPublisher(event, localLambdaContext("feed-publisher"));
      },
      onFailure: parkFailure,
    });
    streams.subscribe({
      name: "announcer",
      filters: ANNOUNCER_FILTERS,
      batchSize: 10,
      maxRetries: 5,
      handler: (event: DynamoDBStreamEvent) => announcer(event, localLambdaContext("announcer")),
      onFailure: parkFailure,
    });
    // As the hourly schedule does deployed: events that ended since move to the past listings.
    const hourly = setInterval(() => {
      const scheduled = { source: "aws.events", "detail-type": "Scheduled Event" } as never;
      feedPublisher(scheduled, localLambdaContext("feed-publisher")).catch((error: unknown) =>
        console.error("feed-publisher (hourly):", error),
      );
    }, 3_600_000);
    hourly.unref();
    stops.push(async () => clearInterval(hourly));
    // As the every-minute rule does deployed, with the event's time as the sweep's clock.
    const sweep = (now = new Date().toISOString()) => sweeper({ time: now }, localLambdaContext("sweeper"));
    const sweepIntervalMs = options.sweepIntervalMs ?? 5_000;
    if (sweepIntervalMs > 0) {
      const sweeping = setInterval(() => {
        sweep().catch((error: unknown) => console.error("sweeper:", error));
      }, sweepIntervalMs);
      sweeping.unref();
      stops.push(async () => clearInterval(sweeping));
    }
    const poller = await startQueuePoller({
      sqs: servers.endpoints.sqs,
      queueUrl: urls.deliveries,
      // As deployed by default (infra/settings.ts): a deliverer reads the next batch while one is with SES.
      batchSize: 10,
      maxConcurrency: 2,
      handler: (event: SQSEvent) => deliverer(event, localLambdaContext("deliverer")),
    });
    stops.push(() => poller.stop());
    const subscriptionPoller = await startQueuePoller({
      sqs: servers.endpoints.sqs,
      queueUrl: urls.subscriptionRequests,
      batchSize: 10,
      maxConcurrency: 2,
      handler: (event: SQSEvent) => subscriptionMailer(event, localLambdaContext("subscription-mailer")),
    });
    stops.push(() => subscriptionPoller.stop());

    return {
      url: front.url,
      publicUrl,
      sesUrl: `${servers.endpoints.ses}/`,
      adminToken: secrets.adminToken,
      endpoints: servers.endpoints,
      dynamodb: streams.endpoint,
      queueUrls: urls,
      drained: () => streams.drained(),
      sweep,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
