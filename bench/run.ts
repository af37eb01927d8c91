/**
 * `npm run bench`: runs every benchmark and prints its tables. A benchmark is a function that
 * returns titled tables (bench/table.ts); add it to BENCHMARKS. Knobs for a quicker run:
 * - BENCH_ONLY=feeds,publish,zones,latency,fan-out,cold picks benchmarks by name (all by default);
 * - BENCH_SIZES=100,1000 narrows the programme sizes of feed rendering and publishing (100,1000,10000);
 * - BENCH_PUBLISHES=5 sets the publishes timed on the local stack (20);
 * - BENCH_SUBSCRIBERS=1000 sets the fan-out sizes (1000,10000);
 * - BENCH_SES_LATENCIES=0,100 sets how late the local SES answers a send in the fan-out runs, in ms:
 *   0 shows the local servers' own cost; 100 stands for the round trip of a real SES call (an
 *   assumption: the local SES has no network and no mail transfer behind it);
 * - BENCH_COLD_RUNS=5 sets the fresh imports of each bundle in the cold start benchmark (15);
 */
import { benchColdStart } from "./cold-start";
import { benchFeedRendering } from "./feed-rendering";
import { benchIncrementalPublishing } from "./incremental-publishing";
import { benchFanOuts, benchPublishToFeed } from "./local-stack";
import { printTable, type Table } from "./table";
import { benchVtimezones } from "./vtimezone";

const numbers = (value: string | undefined): number[] | undefined =>
  value?.split(",").filter(Boolean).map(Number);

const sizes = numbers(process.env.BENCH_SIZES);
const publishes = Number(process.env.BENCH_PUBLISHES ?? 20);
const subscribers = numbers(process.env.BENCH_SUBSCRIBERS) ?? [1_000, 10_000];
const sesLatencies = numbers(process.env.BENCH_SES_LATENCIES) ?? [0, 100];
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 15);
const only = process.env.BENCH_ONLY?.split(",");

const BENCHMARKS: { name: string; run: () => Table[] | Promise<Table[]> }[] = [
  {
    name: "feeds",
    run: () => [
      {
        title: "Feed rendering, every feed file (programme and series, all languages), in process",
        rows: benchFeedRendering(sizes),
      },
    ],
  },
  { name: "publish", run: () => benchIncrementalPublishing(sizes) },
  { name: "zones", run: benchVtimezones },
  { name: "latency", run: () => benchPublishToFeed(publishes) },
  { name: "fan-out", run: () => benchFanOuts(subscribers, sesLatencies) },
  { name: "cold", run: () => benchColdStart(coldRuns) },
];

const tables: Table[] = [];
for (const benchmark of BENCHMARKS) {
  if (only && !only.includes(benchmark.name)) continue;
  process.stderr.write(`running ${benchmark.name}…\n`);
  tables.push(...(await benchmark.run()));
}
console.log(`Node ${process.version}, ${process.arch}`);
for (const table of tables) {
  console.log(`\n${table.title}`);
  printTable(table.rows);
  for (const note of table.notes ?? []) console.log(`  ${note}`);
}
