/**
 * One benchmark on its own local stack, in its own process: handlers read their configuration from
 * the environment when imported, so a process hosts one stack, and a fresh process gives each
 * scenario the same starting memory. bench/local-stack.ts forks it as
 * `node --import tsx bench/stack-worker.ts latency <publishes> | fan-out <subscribers> [SES ms]`; it sends its
 * tables back over IPC (or prints them as JSON when run by hand).
 */
import { startLocalStack } from "../local/stack";
import { benchFanOut } from "./fan-out";
import { benchPublishLatency } from "./publish-latency";
import type { Table } from "./table";
import { countCallsAtTheWire, portOf } from "./wire-counter";

process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
const [scenario, sizeArgument, latencyArgument] = process.argv.slice(2);
const size = Number(sizeArgument);
if ((scenario !== "latency" && scenario !== "fan-out") || !(size > 0)) {
  throw new Error("usage: stack-worker.ts latency <publishes> | fan-out <subscribers> [SES latency ms]");
}

// The fan-out is timed against an SES that answers this late (bench/run.ts, BENCH_SES_LATENCIES).
const sesLatencyMs = scenario === "fan-out" ? Number(latencyArgument ?? 0) : 0;
const stack = await startLocalStack({ port: 0, sesPort: 0, sesLatencyMs });
const counter = countCallsAtTheWire({
  // The stack points the handlers at the stream emulator, which forwards to dynalite.
  dynamodb: portOf(process.env.AWS_ENDPOINT_URL_DYNAMODB as string),
  dynalite: portOf(stack.endpoints.dynamodb),
  sqs: portOf(stack.endpoints.sqs),
  ses: portOf(stack.endpoints.ses),
  s3: portOf(stack.endpoints.s3),
});
let tables: Table[];
try {
  tables =
    scenario === "latency"
      ? await benchPublishLatency(stack, size)
      : await benchFanOut(stack, counter, size, sesLatencyMs);
} finally {
  counter.close();
  await stack.stop();
}
if (process.send) process.send(tables, () => process.disconnect());
else console.log(JSON.stringify(tables, null, 2));
