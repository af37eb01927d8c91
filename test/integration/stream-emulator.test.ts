import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsServers, provisionResources, startAwsServers } from "../../local/aws-servers";
import type { FilterPattern } from "../../local/event-filter";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import type { StreamDeliveryFailure, StreamSubscriber } from "../../local/stream-delivery";
import { type StreamEmulator, startStreamEmulator } from "../../local/stream-emulator";
import { FEED_PUBLISHER_FILTERS } from "../../shared/pipeline/stream-filters";

const tableName = "stream-emulator-test";
let servers: AwsServers;
let emulator: StreamEmulator;
let client: DynamoDBClient;
let table: DynamoDBDocumentClient;

beforeAll(async () => {
  servers = await startAwsServers();
  await provisionResources({ endpoints: servers.endpoints, tableName, bucketName: "stream-emulator-test" });
  emulator = await startStreamEmulator({ target: servers.endpoints.dynamodb, tableName });
  client = new DynamoDBClient({
    endpoint: emulator.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  table = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
  await servers?.stop();
});

/** Subscribes a handler that keeps every batch it gets; only records whose pk starts with `prefix`. */
const listen = (prefix: string, overrides: Partial<StreamSubscriber> = {}) => {
  const batches: DynamoDBRecord[][] = [];
  const failures: StreamDeliveryFailure[] = [];
  const unsubscribe = emulator.subscribe({
    name: prefix,
    filters: [{ dynamodb: { Keys: { pk: { S: [{ prefix }] } } } }],
    handler: async (event) => {
      batches.push(event.Records);
    },
    onFailure: (failure) => {
      failures.push(failure);
    },
    ...overrides,
  });
  const records = () => batches.flat();
  return { batches, records, failures, unsubscribe };
};

const newImageOf = (record: DynamoDBRecord | undefined) => record?.dynamodb?.NewImage;
const oldImageOf = (record: DynamoDBRecord | undefined) => record?.dynamodb?.OldImage;

describe("the stream emulator", () => {
  it("turns a put of a new item into an INSERT shaped like a DynamoDB stream record", async () => {
    const stream = listen("INSERT#");
    await table.send(
      new PutCommand({ TableName: tableName, Item: { pk: "INSERT#1", sk: "A", title: "Hello" } }),
    );
    await emulator.drained();

    expect(stream.records()).toEqual([
      {
        eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
        eventName: "INSERT",
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: LOCAL_REGION,
        eventSourceARN: emulator.streamArn,
        dynamodb: {
          ApproximateCreationDateTime: expect.any(Number),
          Keys: { pk: { S: "INSERT#1" }, sk: { S: "A" } },
          NewImage: { pk: { S: "INSERT#1" }, sk: { S: "A" }, title: { S: "Hello" } },
          SequenceNumber: expect.stringMatching(/^\d+$/),
          SizeBytes: expect.any(Number),
          StreamViewType: "NEW_AND_OLD_IMAGES",
        },
      },
    ]);
    expect(emulator.streamArn).toMatch(
      /^arn:aws:dynamodb:us-east-1:\d{12}:table\/stream-emulator-test\/stream\//,
    );
    stream.unsubscribe();
  });

  it("turns an update into a MODIFY with the old and the new image", async () => {
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "MODIFY#1", sk: "A", seats: 1 } }));
    const stream = listen("MODIFY#");
    await table.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: "MODIFY#1", sk: "A" },
        UpdateExpression: "SET seats = :seats",
        ExpressionAttributeValues: { ":seats": 2 },
      }),
    );
    await emulator.drained();

    const [record] = stream.records();
    expect(record?.eventName).toBe("MODIFY");
    expect(oldImageOf(record)).toEqual({ pk: { S: "MODIFY#1" }, sk: { S: "A" }, seats: { N: "1" } });
    expect(newImageOf(record)).toEqual({ pk: { S: "MODIFY#1" }, sk: { S: "A" }, seats: { N: "2" } });
    stream.unsubscribe();
  });

  it("turns a delete into a REMOVE with the old image only", async () => {
    await table.send(
      new PutCommand({ TableName: tableName, Item: { pk: "REMOVE#1", sk: "A", title: "Bye" } }),
    );
    const stream = listen("REMOVE#");
    await table.send(new DeleteCommand({ TableName: tableName, Key: { pk: "REMOVE#1", sk: "A" } }));
    await emulator.drained();

    const [record] = stream.records();
    expect(record?.eventName).toBe("REMOVE");
    expect(record?.dynamodb?.Keys).toEqual({ pk: { S: "REMOVE#1" }, sk: { S: "A" } });
    expect(oldImageOf(record)).toEqual({ pk: { S: "REMOVE#1" }, sk: { S: "A" }, title: { S: "Bye" } });
    expect(newImageOf(record)).toBeUndefined();
    stream.unsubscribe();
  });

  it("turns a batch write into one record per item, in request order", async () => {
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "BATCH#old", sk: "A" } }));
    const stream = listen("BATCH#");
    await table.send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName]: [
            { PutRequest: { Item: { pk: "BATCH#1", sk: "A" } } },
            { DeleteRequest: { Key: { pk: "BATCH#old", sk: "A" } } },
            { PutRequest: { Item: { pk: "BATCH#2", sk: "A" } } },
          ],
        },
      }),
    );
    await emulator.drained();

    expect(stream.records().map((record) => [record.eventName, record.dynamodb?.Keys?.pk?.S])).toEqual([
      ["INSERT", "BATCH#1"],
      ["REMOVE", "BATCH#old"],
      ["INSERT", "BATCH#2"],
    ]);
    stream.unsubscribe();
  });

  it("emits nothing for a conditional write whose condition fails", async () => {
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "CONDITION#1", sk: "A" } }));
    const stream = listen("CONDITION#");
    const write = table.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: "CONDITION#1", sk: "A", title: "Twice" },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );

    await expect(write).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await emulator.drained();
    expect(stream.records()).toEqual([]);
    stream.unsubscribe();
  });

  it("emits nothing for a write that leaves the item as it was", async () => {
    const item = { pk: "SAME#1", sk: "A", title: "Same" };
    await table.send(new PutCommand({ TableName: tableName, Item: item }));
    const stream = listen("SAME#");
    await table.send(new PutCommand({ TableName: tableName, Item: item }));
    await table.send(new DeleteCommand({ TableName: tableName, Key: { pk: "SAME#missing", sk: "A" } }));
    await emulator.drained();

    expect(stream.records()).toEqual([]);
    stream.unsubscribe();
  });

  it("lets reads through unchanged", async () => {
    await table.send(
      new PutCommand({ TableName: tableName, Item: { pk: "READ#1", sk: "A", title: "ქართული" } }),
    );
    const { Item } = await table.send(
      new GetCommand({ TableName: tableName, Key: { pk: "READ#1", sk: "A" } }),
    );

    expect(Item).toEqual({ pk: "READ#1", sk: "A", title: "ქართული" });
  });

  it("delivers records to a subscriber with the product's feed filters only when they match", async () => {
    const feed = listen("FEED#", {
      filters: FEED_PUBLISHER_FILTERS.map((pattern) => ({
        ...pattern,
        dynamodb: { ...(pattern.dynamodb as FilterPattern), Keys: { pk: { S: [{ prefix: "FEED#" }] } } },
      })),
    });
    const event = { pk: "FEED#1", sk: "EVENT", entity: "event" };
    await table.send(new PutCommand({ TableName: tableName, Item: { ...event, status: "draft" } }));
    await table.send(new PutCommand({ TableName: tableName, Item: { ...event, status: "published" } }));
    await table.send(new PutCommand({ TableName: tableName, Item: { ...event, status: "cancelled" } }));
    await table.send(new DeleteCommand({ TableName: tableName, Key: { pk: "FEED#1", sk: "EVENT" } }));
    await table.send(new PutCommand({ TableName: tableName, Item: { ...event, status: "draft" } }));
    await emulator.drained();

    expect(feed.records().map((record) => [record.eventName, newImageOf(record)?.status?.S])).toEqual([
      ["MODIFY", "published"],
      ["MODIFY", "cancelled"],
      ["REMOVE", undefined],
    ]);
    feed.unsubscribe();
  });

  it("matches prefix, exists and anything-but patterns, and ORs several patterns", async () => {
    const stream = listen("OPS#", {
      filters: [
        {
          eventName: ["INSERT"],
          dynamodb: {
            Keys: { pk: { S: [{ prefix: "OPS#" }] } },
            NewImage: { lang: { S: [{ "anything-but": ["ru", "uk"] }] }, hidden: [{ exists: false }] },
          },
        },
        { eventName: ["REMOVE"], dynamodb: { Keys: { pk: { S: ["OPS#removed"] } } } },
      ],
    });
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "OPS#ka", sk: "A", lang: "ka" } }));
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "OPS#ru", sk: "A", lang: "ru" } }));
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "OPS#nolang", sk: "A" } }));
    await table.send(
      new PutCommand({ TableName: tableName, Item: { pk: "OPS#hidden", sk: "A", lang: "en", hidden: true } }),
    );
    await table.send(
      new PutCommand({ TableName: tableName, Item: { pk: "OPS#removed", sk: "A", lang: "ru" } }),
    );
    await table.send(new DeleteCommand({ TableName: tableName, Key: { pk: "OPS#removed", sk: "A" } }));
    await table.send(new DeleteCommand({ TableName: tableName, Key: { pk: "OPS#ka", sk: "A" } }));
    await emulator.drained();

    expect(stream.records().map((record) => [record.eventName, record.dynamodb?.Keys?.pk?.S])).toEqual([
      ["INSERT", "OPS#ka"],
      ["REMOVE", "OPS#removed"],
    ]);
    stream.unsubscribe();
  });

  it("refuses a filter pattern outside the supported subset when subscribing", () => {
    const subscribe = () =>
      listen("NUMERIC#", {
        filters: [{ dynamodb: { NewImage: { seats: { N: [{ numeric: [">", 0] }] } } } }],
      });

    expect(subscribe).toThrow(/Unsupported filter rule .*numeric/);
  });

  it("emits nothing for writes to other tables", async () => {
    await provisionResources({
      endpoints: servers.endpoints,
      tableName: "other-table",
      bucketName: "other-table",
    });
    const everything = listen("", { filters: [] });
    await table.send(new PutCommand({ TableName: "other-table", Item: { pk: "OTHER#1", sk: "A" } }));
    await emulator.drained();

    expect(everything.records()).toEqual([]);
    everything.unsubscribe();
  });

  it("retries a failing batch and then hands it to onFailure, and the records after it still arrive", async () => {
    let invocations = 0;
    const stream = listen("RETRY#", {
      maxRetries: 2,
      handler: async (event) => {
        invocations += 1;
        if (event.Records.some((record) => record.dynamodb?.Keys?.pk?.S === "RETRY#poison")) {
          throw new Error("cannot handle poison");
        }
      },
    });
    const delivered: string[] = [];
    const healthy = listen("RETRY#", {
      handler: async (event) => {
        delivered.push(...event.Records.map((record) => record.dynamodb?.Keys?.pk?.S ?? ""));
      },
    });
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "RETRY#poison", sk: "A" } }));
    await emulator.drained();
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "RETRY#after", sk: "A" } }));
    await emulator.drained();

    expect(invocations).toBe(4);
    expect(stream.failures).toHaveLength(1);
    expect(stream.failures[0]).toMatchObject({
      subscriber: "RETRY#",
      attempts: 3,
      error: { message: "cannot handle poison" },
    });
    expect(stream.failures[0]?.records.map((record) => record.dynamodb?.Keys?.pk?.S)).toEqual([
      "RETRY#poison",
    ]);
    expect(delivered).toEqual(["RETRY#poison", "RETRY#after"]);
    stream.unsubscribe();
    healthy.unsubscribe();
  });

  it("retries from the first record reported in batchItemFailures, not from the start of the batch", async () => {
    const invocations: string[][] = [];
    let failedOnce = false;
    const stream = listen("PARTIAL#", {
      handler: async (event): Promise<DynamoDBBatchResponse> => {
        invocations.push(event.Records.map((record) => record.dynamodb?.Keys?.pk?.S ?? ""));
        const second = event.Records.find((record) => record.dynamodb?.Keys?.pk?.S === "PARTIAL#2");
        if (!second || failedOnce) return { batchItemFailures: [] };
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber ?? "" }] };
      },
    });
    await table.send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName]: ["PARTIAL#1", "PARTIAL#2", "PARTIAL#3"].map((pk) => ({
            PutRequest: { Item: { pk, sk: "A" } },
          })),
        },
      }),
    );
    await emulator.drained();

    expect(invocations).toEqual([
      ["PARTIAL#1", "PARTIAL#2", "PARTIAL#3"],
      ["PARTIAL#2", "PARTIAL#3"],
    ]);
    expect(stream.failures).toEqual([]);
    stream.unsubscribe();
  });

  it("keeps the records of one item in write order under concurrent writes", async () => {
    await table.send(new PutCommand({ TableName: tableName, Item: { pk: "ORDER#1", sk: "A", count: 0 } }));
    const stream = listen("ORDER#", { batchSize: 7 });
    const increments = Array.from({ length: 30 }, () =>
      table.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: "ORDER#1", sk: "A" },
          UpdateExpression: "ADD #count :one",
          ExpressionAttributeNames: { "#count": "count" },
          ExpressionAttributeValues: { ":one": 1 },
        }),
      ),
    );
    await Promise.all(increments);
    await emulator.drained();

    const records = stream.records();
    expect(records.map((record) => Number(newImageOf(record)?.count?.N))).toEqual(
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
    expect(records.map((record) => Number(oldImageOf(record)?.count?.N))).toEqual(
      Array.from({ length: 30 }, (_, index) => index),
    );
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? "0"));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(stream.batches.every((batch) => batch.length <= 7)).toBe(true);
    stream.unsubscribe();
  });
});
