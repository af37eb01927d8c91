import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LOCAL_CREDENTIALS } from "../../local/local-account";
import { DeliveryLedger } from "../../shared/adapters/dynamodb/delivery-ledger";
import { MailingStore } from "../../shared/adapters/dynamodb/mailing-store";
import { DeliveryQueue } from "../../shared/adapters/sqs/delivery-queue";
import { redriveMessages } from "../../shared/adapters/sqs/redrive";
import { resumeOpenMailings } from "../../shared/use-cases/manage-mailings";

/**
 * `npm run redrive -- --from <DLQ url> --to <queue url> --events-table <name> --subscribers-table <name>`
 * (the stack outputs DeliveryDeadLetterQueueUrl, DeliveryQueueUrl, TableName and
 * SubscribersTableName; AWS credentials and region from the usual environment):
 * 1. moves dead-lettered deliveries back to their queue;
 * 2. resumes every mailing not yet seen complete: its planned batches not sent yet go back on the
 *    queue, whatever happened to their messages (a purge, a crash, a DLQ that aged them out).
 * A batch queued twice is still sent once. Without arguments it works on the local stack, as
 * `npm start` recorded it in DATA_DIR.
 */
const { values } = parseArgs({
  options: {
    from: { type: "string" },
    to: { type: "string" },
    "events-table": { type: "string" },
    "subscribers-table": { type: "string" },
  },
});

interface LocalEndpoints {
  sqs: string;
  dynamodb: string;
  region: string;
  deliveries: string;
  deliveriesDeadLetter: string;
  table: string;
  subscribersTable: string;
}

const localStack = async (): Promise<LocalEndpoints> => {
  const file = resolve(process.env.DATA_DIR ?? ".data", "local-endpoints.json");
  const endpoints = JSON.parse(await readFile(file, "utf8").catch(() => "null"));
  if (!endpoints) {
    throw new Error(
      `Give --from, --to, --events-table and --subscribers-table, or run npm start first (no ${file})`,
    );
  }
  return endpoints as LocalEndpoints;
};

const main = async () => {
  const deployed = values.from && values.to;
  if (deployed && !(values["events-table"] && values["subscribers-table"])) {
    throw new Error(
      "Give --events-table and --subscribers-table too (the stack outputs TableName, SubscribersTableName)",
    );
  }
  const local = deployed ? undefined : await localStack();
  const clientConfig = local ? { region: local.region, credentials: LOCAL_CREDENTIALS } : {};
  const sqs = new SQSClient({ ...clientConfig, ...(local ? { endpoint: local.sqs } : {}) });
  const dynamodb = new DynamoDBClient({ ...clientConfig, ...(local ? { endpoint: local.dynamodb } : {}) });
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const from = values.from ?? (local?.deliveriesDeadLetter as string);
  const to = values.to ?? (local?.deliveries as string);
  try {
    const moved = await redriveMessages(sqs, from, to);
    console.log(`Moved ${moved} message(s) from ${from} to ${to}.`);
    const outcomes = await resumeOpenMailings({
      mailings: new MailingStore(documents, values["events-table"] ?? (local?.table as string)),
      ledger: new DeliveryLedger(
        documents,
        values["subscribers-table"] ?? (local?.subscribersTable as string),
      ),
      queue: new DeliveryQueue(sqs, to),
    });
    for (const outcome of outcomes) {
      const name = `${outcome.eventId} ${outcome.mailing}`;
      if (outcome.complete) console.log(`${name}: complete (${outcome.detail}).`);
      else {
        const requeued = `re-queued ${outcome.requeued.length} batch(es), ${outcome.recipients} recipient(s)`;
        if (outcome.action === "requeued") console.log(`${name}: ${requeued}.`);
        else if (outcome.requeued.length > 0)
          console.log(`${name}: ${requeued}; planning requested to go on.`);
        else console.log(`${name}: planning requested again.`);
      }
    }
    if (outcomes.length === 0) console.log("No open mailing.");
  } finally {
    sqs.destroy();
    dynamodb.destroy();
  }
};

await main();
