import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AwsEndpoints,
  type AwsServers,
  localAwsEnv,
  provisionResources,
  startAwsServers,
} from "../../local/aws-servers";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { EVENTS_TABLE, SUBSCRIBERS_TABLE } from "../../shared/adapters/dynamodb/table-schema";

const tableName = "aws-servers-test";
const bucketName = "aws-servers-test";

/** Runs `work` with the process environment extended by `env`, as a handler would see it. */
const withEnv = async <T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> => {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

describe("the local AWS servers", () => {
  let servers: AwsServers;
  let endpoints: AwsEndpoints;

  beforeAll(async () => {
    servers = await startAwsServers();
    endpoints = servers.endpoints;
    await provisionResources({
      endpoints,
      tableName,
      subscribersTableName: `${tableName}-subscribers`,
      bucketName,
      queues: [{ name: "deliveries", deadLetter: { name: "deliveries-dlq", maxReceiveCount: 5 } }],
    });
  });

  afterAll(async () => {
    await servers?.stop();
  });

  it("creates the events table (four indexes) and the subscribers table (the audience index), keyed pk/sk", async () => {
    const client = new DynamoDBClient({
      endpoint: endpoints.dynamodb,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const describe = async (name: string) =>
      (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
    const events = await describe(tableName);
    const subscribers = await describe(`${tableName}-subscribers`);
    client.destroy();

    for (const table of [events, subscribers]) {
      expect(table?.KeySchema).toEqual([
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ]);
    }
    const indexes = (table: typeof events) =>
      table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.Projection?.ProjectionType]);
    expect(indexes(events)).toEqual(EVENTS_TABLE.indexes.map((index) => [index.indexName, "ALL"]));
    expect(indexes(subscribers)).toEqual(SUBSCRIBERS_TABLE.indexes.map((index) => [index.indexName, "ALL"]));
  });

  it("can provision again over what exists", async () => {
    const again = await provisionResources({
      endpoints,
      tableName,
      bucketName,
      queues: [{ name: "deliveries", deadLetter: { name: "deliveries-dlq", maxReceiveCount: 5 } }],
    });

    expect(Object.keys(again.queueUrls).sort()).toEqual(["deliveries", "deliveries-dlq"]);
  });

  it("refuses a table left by an older schema that lacks one of the indexes", async () => {
    const client = new DynamoDBClient({
      endpoint: endpoints.dynamodb,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await client.send(
      new CreateTableCommand({
        TableName: "older-schema",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
      }),
    );
    client.destroy();

    await expect(provisionResources({ endpoints, tableName: "older-schema", bucketName })).rejects.toThrow(
      /has no index gsi1, gsi2, gsi3, gsi4/,
    );
  });

  it("serves every SDK client built from localAwsEnv alone, S3 included", async () => {
    await withEnv(localAwsEnv(endpoints), async () => {
      const dynamodb = new DynamoDBClient({});
      const s3 = new S3Client({});
      const sqs = new SQSClient({});
      const ses = new SESv2Client({});
      try {
        await expect(
          dynamodb.send(new DescribeTableCommand({ TableName: tableName })),
        ).resolves.toBeDefined();
        await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: "feed.xml", Body: "<rss/>" }));
        const object = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: "feed.xml" }));
        expect(await object.Body?.transformToString()).toBe("<rss/>");
        const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
        expect(QueueUrls).toContain(`${endpoints.sqs}/000000000000/deliveries`);
        await ses.send(
          new SendEmailCommand({
            FromEmailAddress: "events@example.org",
            Destination: { ToAddresses: ["reader@example.org"] },
            Content: { Simple: { Subject: { Data: "Hello" }, Body: { Text: { Data: "Hi" } } } },
          }),
        );
      } finally {
        for (const client of [dynamodb, s3, sqs, ses]) client.destroy();
      }
    });
    const store = (await (await fetch(`${endpoints.ses}/store`)).json()) as { emails: { subject: string }[] };

    expect(store.emails.map((email) => email.subject)).toContain("Hello");
  });

  it("listens on the ports it is given", async () => {
    const sesPort = await freePort();
    const chosen = await startAwsServers({ ports: { ses: sesPort } });
    await chosen.stop();

    expect(chosen.endpoints.ses).toBe(`http://127.0.0.1:${sesPort}`);
  });

  it("refuses to start on a port that is taken", async () => {
    const taken = Number(new URL(endpoints.s3).port);

    await expect(startAwsServers({ ports: { s3: taken } })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("a data folder", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "eventcast-data-"));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps the table's items and the bucket's objects across a stop and a start", async () => {
    const first = await startAwsServers({ dataDir });
    await provisionResources({ endpoints: first.endpoints, tableName, bucketName });
    await withEnv(localAwsEnv(first.endpoints), async () => {
      const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const s3 = new S3Client({});
      await table.send(
        new PutCommand({ TableName: tableName, Item: { pk: "EVENT#1", sk: "EVENT", title: "ICT" } }),
      );
      await s3.send(
        new PutObjectCommand({ Bucket: bucketName, Key: "ka/feed.xml", Body: "<rss>ქართული</rss>" }),
      );
      table.destroy();
      s3.destroy();
    });
    await first.stop();

    const second = await startAwsServers({ dataDir });
    try {
      await provisionResources({ endpoints: second.endpoints, tableName, bucketName });
      await withEnv(localAwsEnv(second.endpoints), async () => {
        const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
        const s3 = new S3Client({});
        const { Item } = await table.send(
          new GetCommand({ TableName: tableName, Key: { pk: "EVENT#1", sk: "EVENT" } }),
        );
        const object = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: "ka/feed.xml" }));
        expect(Item).toEqual({ pk: "EVENT#1", sk: "EVENT", title: "ICT" });
        expect(await object.Body?.transformToString()).toBe("<rss>ქართული</rss>");
        table.destroy();
        s3.destroy();
      });
    } finally {
      await second.stop();
    }
  });
});
