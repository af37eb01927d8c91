import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { LOCAL_REGION } from "./local-account";
import { seedOnFirstStart } from "./seed";
import { LOCAL_NAMES, startLocalStack } from "./stack";

/** `npm start`: the whole stack on this machine, configured by PORT, SES_PORT, DATA_DIR, ADMIN_TOKEN, PUBLIC_URL, SES_LATENCY_MS. */
const port = Number(process.env.PORT ?? 3000);
const sesPort = Number(process.env.SES_PORT ?? 8005);
const dataDir = resolve(process.env.DATA_DIR ?? ".data");
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";

const stack = await startLocalStack({
  port,
  sesPort,
  dataDir,
  publicUrl: process.env.PUBLIC_URL,
  adminToken: process.env.ADMIN_TOKEN,
  sesLatencyMs: process.env.SES_LATENCY_MS ? Number(process.env.SES_LATENCY_MS) : undefined,
});
const seeded = await seedOnFirstStart(stack.url, stack.adminToken);
// For `npm run redrive` without arguments: where this run's queues and tables are.
await writeFile(
  join(dataDir, "local-endpoints.json"),
  JSON.stringify(
    {
      sqs: stack.endpoints.sqs,
      dynamodb: stack.dynamodb,
      region: LOCAL_REGION,
      ...stack.queueUrls,
      table: LOCAL_NAMES.table,
      subscribersTable: LOCAL_NAMES.subscribersTable,
    },
    null,
    2,
  ),
);

const base = stack.publicUrl;
console.log(`
eventcast is running${seeded ? " (seeded the first event)" : ""}

  Website      ${base}/   ${base}/ka/   ${base}/en/events/ict-innovation-networking-3
  Feeds        ${base}/feed.xml   ${base}/feed.json   ${base}/ka/feed.xml   ${base}/ka/feed.json
  Calendars    ${base}/events.ics   ${base}/ka/events.ics
  Public API   ${base}/api/events
  Subscribe    ${base}/en/subscribe/   or   curl -X POST ${base}/api/subscriptions -H 'content-type: application/json' -d '{"email":"you@example.org","language":"en"}'
  Editors' API ${base}/api/admin/events   (Authorization: Bearer ${stack.adminToken})
  Sent mail    ${stack.sesUrl}
  Redrive      npm run redrive   (dead-lettered deliveries back, unsent planned batches re-queued)
  Rebuild      npm run rebuild   (every feed and page rendered again from the table)
  Data         ${dataDir}

Ctrl-C stops everything; the data stays for the next start.
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log("Stopping…");
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
