import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import dynalite from "dynalite";
import { createRequestHandler } from "local-aws-sqs";
import S3rver from "s3rver";
import {
  EVENTS_TABLE,
  SUBSCRIBERS_TABLE,
  TABLE_KEYS,
  type TableSpec,
} from "../shared/adapters/dynamodb/table-schema";
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from "./local-account";
import { closeServer, listen, urlHost } from "./server-lifecycle";
import { startLocalSes } from "./ses-server";

export interface AwsEndpoints {
  dynamodb: string;
  sqs: string;
  ses: string;
  s3: string;
}

export type AwsService = keyof AwsEndpoints;

export interface StartAwsServersOptions {
  /** Persist DynamoDB and S3 data under this folder; in memory / a temp folder otherwise. */
  dataDir?: string;
  host?: string;
  /** Port per service; a free port when absent or 0. */
  ports?: Partial<Record<AwsService, number>>;
  /** How long the local SES takes to answer a send (none by default). */
  sesLatencyMs?: number;
}

export interface AwsServers {
  endpoints: AwsEndpoints;
  stop(): Promise<void>;
}

interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts dynalite, local-aws-sqs, the local SES (aws-ses-v2-local behind local/ses-server.ts) and s3rver in this process. */
export const startAwsServers = async (options: StartAwsServersOptions = {}): Promise<AwsServers> => {
  const host = options.host ?? "127.0.0.1";
  const ports = options.ports ?? {};
  const running: RunningServer[] = [];
  const stopAll = async () => {
    await Promise.all(running.splice(0).map((server) => server.stop()));
  };
  try {
    const start = async (launch: Promise<RunningServer>) => {
      const server = await launch;
      running.push(server);
      return server.port;
    };
    const dynamodbPort = await start(startDynalite(host, ports.dynamodb ?? 0, options.dataDir));
    const sqsPort = await start(startSqs(host, ports.sqs ?? 0));
    const sesPort = await start(startSes(host, ports.ses ?? 0, options.dataDir, options.sesLatencyMs));
    const s3Port = await start(startS3(host, ports.s3 ?? 0, options.dataDir));
    const base = `http://${urlHost(host)}`;
    return {
      endpoints: {
        dynamodb: `${base}:${dynamodbPort}`,
        sqs: `${base}:${sqsPort}`,
        ses: `${base}:${sesPort}`,
        s3: `${base}:${s3Port}`,
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

/** The environment that points the AWS SDK (and so every handler) at the local servers. */
export const localAwsEnv = (endpoints: AwsEndpoints): Record<string, string> => ({
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_SQS: endpoints.sqs,
  AWS_ENDPOINT_URL_SESV2: endpoints.ses,
  AWS_ENDPOINT_URL_S3: endpoints.s3,
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
});

export interface QueueSpec {
  name: string;
  visibilityTimeoutSeconds?: number;
  /** Created too; messages move there after maxReceiveCount receives. */
  deadLetter?: { name: string; maxReceiveCount: number };
}

export interface ProvisionResourcesOptions {
  endpoints: AwsEndpoints;
  /** The events table (streamed to the pipeline). */
  tableName: string;
  /** The subscribers table (people, request counters, the delivery ledger), when wanted. */
  subscribersTableName?: string;
  bucketName: string;
  queues?: QueueSpec[];
}

export interface ProvisionedResources {
  /** Queue URL by queue name, dead-letter queues included. */
  queueUrls: Record<string, string>;
}

/** Creates the tables, the bucket and the queues; safe to run again on persisted data. */
export const provisionResources = async (
  options: ProvisionResourcesOptions,
): Promise<ProvisionedResources> => {
  const { endpoints } = options;
  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: endpoints.dynamodb });
  const s3 = new S3Client({ ...clientConfig, endpoint: endpoints.s3, forcePathStyle: true });
  const sqs = new SQSClient({ ...clientConfig, endpoint: endpoints.sqs });
  try {
    await Promise.all([
      createTable(dynamodb, options.tableName, EVENTS_TABLE),
      options.subscribersTableName
        ? createTable(dynamodb, options.subscribersTableName, SUBSCRIBERS_TABLE)
        : undefined,
      createBucket(s3, options.bucketName),
    ]);
    return { queueUrls: await createQueues(sqs, options.queues ?? []) };
  } finally {
    dynamodb.destroy();
    s3.destroy();
    sqs.destroy();
  }
};

const startDynalite = async (host: string, port: number, dataDir?: string): Promise<RunningServer> => {
  const path = dataDir ? join(dataDir, "dynamodb") : undefined;
  if (path) await mkdir(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return { port: await listen(server, port, host), stop: () => closeServer(server) };
};

const startSqs = async (host: string, port: number): Promise<RunningServer> => {
  const { service, requestHandler } = createRequestHandler({
    port,
    hostname: urlHost(host),
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    // Lets a restart recreate a queue straight away instead of waiting 60 s like AWS.
    emulateQueueCreationLifecycle: false,
  });
  const server = createServer(requestHandler);
  // Queue URLs embed the port, which is only known once listening.
  service.PORT = await listen(server, port, host);
  return { port: service.PORT, stop: () => closeServer(server) };
};

const startSes = async (
  host: string,
  port: number,
  dataDir?: string,
  latencyMs?: number,
): Promise<RunningServer> => startLocalSes({ host, port, dataDir, latencyMs });

const startS3 = async (host: string, port: number, dataDir?: string): Promise<RunningServer> => {
  const directory = dataDir ? join(dataDir, "s3") : await mkdtemp(join(tmpdir(), "eventcast-s3-"));
  await mkdir(directory, { recursive: true });
  // Our own HTTP server: s3rver's run() never settles when the port is taken.
  const server = createServer(new S3rver({ directory, silent: true }).callback());
  const removeTemporaryDirectory = () =>
    dataDir ? undefined : rm(directory, { recursive: true, force: true });
  try {
    const boundPort = await listen(server, port, host);
    return { port: boundPort, stop: () => closeServer(server).then(removeTemporaryDirectory) };
  } catch (error) {
    await removeTemporaryDirectory();
    throw error;
  }
};

/**
 * dynalite flips a new table to ACTIVE asynchronously, even with createTableMs 0, and on a busy
 * machine a table persisted just after its creation can still read CREATING: wait for it.
 */
const activeTable = async (client: DynamoDBClient, tableName: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return Table;
    if (Date.now() > deadline) throw new Error(`Table ${tableName} is still ${Table?.TableStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const createTable = async (client: DynamoDBClient, tableName: string, spec: TableSpec): Promise<void> => {
  const keyAttributes = [TABLE_KEYS, ...spec.indexes].flatMap((keys) => [keys.partitionKey, keys.sortKey]);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: "S" })),
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: spec.indexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
        ...(spec.stream
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } }
          : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const Table = await activeTable(client, tableName);
  // dynalite cannot add an index to an existing table, so a data folder from an older schema must say so.
  const existing = new Set(Table.GlobalSecondaryIndexes?.map((index) => index.IndexName));
  const missing = spec.indexes
    .filter((index) => !existing.has(index.indexName))
    .map((index) => index.indexName);
  if (missing.length > 0) {
    throw new Error(
      `Table ${tableName} has no index ${missing.join(", ")}: it was created by an older schema; delete its data folder to recreate it`,
    );
  }
};

const createBucket = async (client: S3Client, bucketName: string): Promise<void> => {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const name = (error as Error).name;
    // s3rver answers BucketAlreadyExists for our own bucket; AWS would say BucketAlreadyOwnedByYou.
    if (name !== "BucketAlreadyExists" && name !== "BucketAlreadyOwnedByYou") throw error;
  }
};

const createQueues = async (client: SQSClient, specs: QueueSpec[]): Promise<Record<string, string>> => {
  const queueUrls: Record<string, string> = {};
  const createQueue = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
    queueUrls[name] = QueueUrl;
    return QueueUrl;
  };
  for (const spec of specs) {
    const attributes: Record<string, string> = {};
    if (spec.visibilityTimeoutSeconds !== undefined) {
      attributes.VisibilityTimeout = String(spec.visibilityTimeoutSeconds);
    }
    if (spec.deadLetter) {
      const deadLetterUrl = await createQueue(spec.deadLetter.name, {});
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ["QueueArn"] }),
      );
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: Attributes?.QueueArn,
        maxReceiveCount: spec.deadLetter.maxReceiveCount,
      });
    }
    await createQueue(spec.name, attributes);
  }
  return queueUrls;
};
