import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_CREDENTIALS } from "../../local/local-account";
import { redriveMessages } from "../../shared/adapters/sqs/redrive";

/**
 * `npm run redrive -- --from <DLQ url> --to <queue url>` moves dead-lettered deliveries back to
 * their queue (the stack outputs DeliveryDeadLetterQueueUrl and DeliveryQueueUrl; AWS credentials
 * and region from the usual environment). Without arguments it redrives the local stack's queues,
 * as `npm start` recorded them in DATA_DIR.
 */
const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" } } });

const localQueues = async () => {
  const file = resolve(process.env.DATA_DIR ?? ".data", "local-endpoints.json");
  const endpoints = JSON.parse(await readFile(file, "utf8").catch(() => "null"));
  if (!endpoints) throw new Error(`Give --from and --to, or run npm start first (no ${file})`);
  return endpoints as { sqs: string; deliveries: string; deliveriesDeadLetter: string; region: string };
};

const main = async () => {
  const local = values.from && values.to ? undefined : await localQueues();
  const sqs = local
    ? new SQSClient({ endpoint: local.sqs, region: local.region, credentials: LOCAL_CREDENTIALS })
    : new SQSClient({});
  const from = values.from ?? (local?.deliveriesDeadLetter as string);
  const to = values.to ?? (local?.deliveries as string);
  const moved = await redriveMessages(sqs, from, to);
  console.log(`Moved ${moved} message(s) from ${from} to ${to}.`);
  sqs.destroy();
};

await main();
