import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsServers, localAwsEnv, provisionResources, startAwsServers } from "../../local/aws-servers";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { redriveMessages } from "../../shared/adapters/sqs/redrive";

const run = promisify(execFile);

let servers: AwsServers;
let sqs: SQSClient;
let queues: Record<string, string>;

beforeAll(async () => {
  servers = await startAwsServers();
  ({ queueUrls: queues } = await provisionResources({
    endpoints: servers.endpoints,
    tableName: "redrive-test",
    bucketName: "redrive-test",
    queues: [{ name: "deliveries", deadLetter: { name: "deliveries-dlq", maxReceiveCount: 5 } }],
  }));
  sqs = new SQSClient({
    endpoint: servers.endpoints.sqs,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  sqs.destroy();
  await servers.stop();
});

const depth = async (queueUrl: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
};

describe("npm run redrive", () => {
  it("moves every dead-lettered message back to its queue, bodies intact, and empties the DLQ", async () => {
    const dlq = queues["deliveries-dlq"] as string;
    const target = queues.deliveries as string;
    const bodies = Array.from({ length: 23 }, (_, index) =>
      JSON.stringify({ eventId: "e1", subscriberIds: [`s${index}`] }),
    );
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: body }));

    expect(await redriveMessages(sqs, dlq, target)).toBe(23);
    expect(await depth(dlq)).toBe(0);
    expect(await depth(target)).toBe(23);
  });

  it("is what `npm run redrive -- --from <DLQ> --to <queue>` runs", async () => {
    const dlq = queues["deliveries-dlq"] as string;
    const target = queues.deliveries as string;
    await sqs.send(
      new SendMessageCommand({ QueueUrl: dlq, MessageBody: '{"eventId":"e2","subscriberIds":["s1"]}' }),
    );
    const before = await depth(target);
    const { stdout } = await run("npm", ["run", "--silent", "redrive", "--", "--from", dlq, "--to", target], {
      env: { ...process.env, ...localAwsEnv(servers.endpoints) },
    });
    expect(stdout).toContain(`Moved 1 message(s) from ${dlq} to ${target}.`);
    expect(await depth(dlq)).toBe(0);
    expect(await depth(target)).toBe(before + 1);
  });

  it("reports zero when there is nothing to move", async () => {
    expect(await redriveMessages(sqs, queues["deliveries-dlq"] as string, queues.deliveries as string)).toBe(
      0,
    );
  });
});
