/**
 * The delivery queue purged mid-announcement, on the local stack: a resume reaches exactly the
 * subscribers not sent yet, each subscriber has one mail.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { seedOnFirstStart } from "../../local/seed";
import { LOCAL_NAMES, type LocalStack, startLocalStack } from "../../local/stack";
import {
  AUDIENCE,
  asEditor,
  expectOneMailEachBarInDoubt,
  publish,
  SES_LATENCY_MS,
  settled,
  statusOf,
  writeAudience,
} from "../support/announcement-run";
import { eventually } from "../support/eventually";
import { sentMails } from "../support/local-mail";
import { takeAll } from "../support/queues";

/**
 * Deletes every message waiting on the queue, at once. (PurgeQueue itself deletes them within 60
 * seconds, in AWS and in local-aws-sqs alike: too late to catch an announcement in the middle.)
 */
const purge = async (sqs: SQSClient, queueUrl: string): Promise<number> =>
  (await takeAll(sqs, queueUrl)).length;

describe("the delivery queue purged mid-announcement", () => {
  let stack: LocalStack;
  let sqs: SQSClient;

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
    stack = await startLocalStack({ port: 0, sesPort: 0, sesLatencyMs: SES_LATENCY_MS });
    // The seed's series; its event is announced to nobody (drained: before the audience exists).
    await seedOnFirstStart(stack.url, stack.adminToken);
    await stack.drained();
    sqs = new SQSClient({
      endpoint: stack.endpoints.sqs,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
  });

  it("loses no one: a resume re-queues exactly the batches not sent, and each subscriber gets one mail", async () => {
    const editor = { url: stack.url, token: stack.adminToken };
    const audience = await writeAudience(
      stack.dynamodb,
      LOCAL_NAMES.subscribersTable,
      process.env.PSEUDONYM_KEY as string,
      "purged",
    );
    const id = await publish(editor, "Purged announcement day");
    await eventually(async () => expect((await statusOf(editor, id)).status).toBe("queued"), 30_000);

    expect(await purge(sqs, stack.queueUrls.deliveries)).toBeGreaterThan(0);
    // What the deliverers held goes out; what was waiting on the queue is gone.
    const stranded = await eventually(async () => {
      const status = await statusOf(editor, id);
      expect(status.batches["in-doubt"]).toBe(0);
      expect(status.batches.planned).toBeGreaterThan(0);
      return status;
    }, 30_000);
    expect(await sentMails(stack.sesUrl)).toHaveLength(stranded.recipients.sent);

    const resumed = await asEditor(editor, "POST", `/api/admin/events/${id}/announce`);
    expect(resumed.status).toBe(202);
    expect(resumed.json).toMatchObject({ action: "requeued", recipients: stranded.recipients.pending });
    expect(
      resumed.json.requeued
        .map((batch: { batch: number }) => batch.batch)
        .sort((a: number, b: number) => a - b),
    ).toEqual(stranded.plan.filter((batch) => batch.state === "planned").map((batch) => batch.batch));

    const status = await settled(editor, id);
    expect(status.recipients).toMatchObject({ sent: AUDIENCE, inDoubt: 0 });
    expectOneMailEachBarInDoubt(await sentMails(stack.sesUrl), "Purged announcement day", audience, status);
    expect((await asEditor(editor, "POST", `/api/admin/events/${id}/announce`)).status).toBe(409);
  }, 120_000);
});
