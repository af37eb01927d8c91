import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsServers, localAwsEnv, provisionResources, startAwsServers } from "../../local/aws-servers";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { DeliveryLedger } from "../../shared/adapters/dynamodb/delivery-ledger";
import { MailingStore } from "../../shared/adapters/dynamodb/mailing-store";
import { parseDeliveryMessage } from "../../shared/adapters/sqs/delivery-queue";
import { redriveMessages } from "../../shared/adapters/sqs/redrive";
import type { PlannedBatch } from "../../shared/domain/mailings";

const run = promisify(execFile);

let servers: AwsServers;
let sqs: SQSClient;
let documents: DynamoDBDocumentClient;
let queues: Record<string, string>;
const tables = { events: "redrive-events", subscribers: "redrive-subscribers" };

beforeAll(async () => {
  servers = await startAwsServers();
  ({ queueUrls: queues } = await provisionResources({
    endpoints: servers.endpoints,
    tableName: tables.events,
    subscribersTableName: tables.subscribers,
    bucketName: "redrive-test",
    queues: [
      { name: "deliveries", deadLetter: { name: "deliveries-dlq", maxReceiveCount: 5 } },
      { name: "mailings", deadLetter: { name: "mailings-dlq", maxReceiveCount: 5 } },
    ],
  }));
  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  sqs = new SQSClient({ ...clientConfig, endpoint: servers.endpoints.sqs });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...clientConfig, endpoint: servers.endpoints.dynamodb }),
  );
});
afterAll(async () => {
  sqs.destroy();
  documents.destroy();
  await servers.stop();
});

const depth = async (queueUrl: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
};

const redrive = (...args: string[]) =>
  run("npm", ["run", "--silent", "redrive", "--", ...args], {
    env: { ...process.env, ...localAwsEnv(servers.endpoints) },
  });

const message = (seq: number) => JSON.stringify({ eventId: "e1", mailing: "announcement", epoch: 1, seq });

describe("npm run redrive", () => {
  it("moves every dead-lettered message back to its queue, bodies intact, and empties the DLQ", async () => {
    const dlq = queues["deliveries-dlq"] as string;
    const target = queues.deliveries as string;
    const bodies = Array.from({ length: 23 }, (_, index) => message(index + 1));
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: body }));

    expect(await redriveMessages(sqs, dlq, target)).toBe(23);
    expect(await depth(dlq)).toBe(0);
    expect(await depth(target)).toBe(23);
  });

  it("reports zero when there is nothing to move", async () => {
    expect(await redriveMessages(sqs, queues["deliveries-dlq"] as string, queues.deliveries as string)).toBe(
      0,
    );
  });

  it("re-queues the unsent batches of every open mailing, whatever became of their messages", async () => {
    const dlq = queues["mailings-dlq"] as string;
    const target = queues.mailings as string;
    const mailings = new MailingStore(documents, tables.events);
    const ref = { eventId: "e2", mailing: "announcement" };
    const { planEpoch } = await mailings.startPlanning(ref, "announcement", new Date().toISOString());
    const batch = (seq: number, status: PlannedBatch["status"]): PlannedBatch => ({
      ...ref,
      epoch: planEpoch,
      seq,
      language: "en",
      subscriberIds: [`s${seq}`],
      status,
      outcomes: status === "done" ? { [`s${seq}`]: { status: "sent", messageId: "m" } } : {},
      attempts: status === "planned" ? 0 : 1,
      expiresAt: 1_900_000_000,
    });
    // One sent, one retried after a failure, one never tried, one in doubt: only the failed and untried go back.
    await new DeliveryLedger(documents, tables.subscribers).putPlanned([
      batch(1, "done"),
      batch(2, "failed"),
      batch(3, "planned"),
      batch(4, "sending"),
    ]);
    const plan = { epoch: planEpoch, batches: 4, recipients: 4, plannedAt: new Date().toISOString() };
    expect(await mailings.commitPlan(ref, plan)).toBe(true);
    await mailings.markQueued(ref, new Date().toISOString());
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: message(9) }));

    const { stdout } = await redrive(
      "--from",
      dlq,
      "--to",
      target,
      "--events-table",
      tables.events,
      "--subscribers-table",
      tables.subscribers,
    );

    expect(stdout).toContain(`Moved 1 message(s) from ${dlq} to ${target}.`);
    expect(stdout).toContain("e2 announcement: re-queued 2 batch(es), 2 recipient(s).");
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: target, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const requeued = Messages.map((received) => parseDeliveryMessage(received.Body ?? "").seq).sort();
    expect(requeued).toEqual([2, 3, 9]);
    expect(await depth(dlq)).toBe(0);
  });

  it("asks for both tables when given the queues of a deployed stack", async () => {
    await expect(
      redrive("--from", queues["deliveries-dlq"] as string, "--to", queues.deliveries as string),
    ).rejects.toThrow(/--events-table and --subscribers-table/);
  });
});
