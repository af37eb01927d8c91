/**
 * `npm run bench`: runs every benchmark and prints one table. A benchmark is a module exporting a
 * function that returns BenchRow[]; add it to BENCHMARKS. Sizes can be narrowed with
 * BENCH_SIZES=100,1000 for a quick run.
 */
import { benchFeedRendering } from "./feed-rendering";
import type { BenchRow } from "./measure";
import { printTable } from "./table";

const sizes = process.env.BENCH_SIZES?.split(",").map(Number);

const BENCHMARKS: { name: string; run: () => BenchRow[] | Promise<BenchRow[]> }[] = [
  { name: "feed rendering", run: () => benchFeedRendering(sizes) },
];

const rows: BenchRow[] = [];
for (const benchmark of BENCHMARKS) {
  process.stderr.write(`running ${benchmark.name}…\n`);
  rows.push(...(await benchmark.run()));
}
console.log(`Node ${process.version}, ${process.arch}`);
printTable(rows);
