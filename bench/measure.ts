/** Timing and heap measurement shared by every benchmark. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** One line of the printed table; each benchmark fills the columns that mean something for it. */
export interface BenchRow {
  benchmark: string;
  case: string;
  size: number;
  ms: number;
  "ops/s": number;
  "heap MB": number;
  [column: string]: string | number;
}

setFlagsFromString("--expose-gc");
// A context created after the flag is set sees `gc`, so `npm run bench` needs no node flags.
const collectGarbage = runInNewContext("gc") as () => void;

export interface Measurement<T> {
  /** Median wall time of the measured runs. */
  ms: number;
  opsPerSecond: number;
  /** Heap growth over one run with its result still held (garbage not yet collected included). */
  heapMB: number;
  result: T;
}

/** The middle of some values (the mean of the two middle ones for an even count). */
export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * Runs `operation` after a warm-up until `budgetMs` is spent (at least `minRuns`, at most `maxRuns`).
 * An operation slower than twice the budget keeps its first run: a second one would add little.
 */
export const measure = <T>(
  operation: () => T,
  {
    budgetMs = 1500,
    minRuns = 1,
    maxRuns = 20,
  }: { budgetMs?: number; minRuns?: number; maxRuns?: number } = {},
): Measurement<T> => {
  const timings: number[] = [];
  let heapMB = 0;
  let result: T | undefined;
  let spent = 0;
  while (timings.length < maxRuns && (timings.length < minRuns || spent < budgetMs)) {
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    result = operation();
    const elapsed = performance.now() - started;
    heapMB = Math.max(heapMB, (process.memoryUsage().heapUsed - heapBefore) / 1e6);
    spent += elapsed;
    // The first run of a fast operation warms the JIT and is not counted.
    if (spent === elapsed && elapsed < budgetMs * 2) continue;
    timings.push(elapsed);
  }
  result = result as T;
  const ms = median(timings);
  return { ms, opsPerSecond: 1000 / ms, heapMB, result };
};

/** Frees what the previous benchmark left so the next one starts from the same heap. */
export const settle = (): void => collectGarbage();

/** The nearest-rank percentile (p in 0..100) of some values. */
export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

export interface ResourceUsage {
  /** Highest resident set size seen, less the baseline (MB): the whole process, native memory included. */
  peakRssMB: number;
  /** Highest V8 heap in use seen, less the baseline (MB), garbage not yet collected included. */
  peakHeapMB: number;
  /** Process CPU time (user + system) over wall time, in percent; 100 is one core busy. */
  cpuPercent: number;
}

export interface ResourceSampler {
  /** Stops sampling; call it when the measured work ends. */
  stop(): ResourceUsage;
  /** After a collection: heap still held compared with the baseline (MB). */
  retainedHeapMB(): number;
}

/** Samples this process's memory every `intervalMs` from a baseline taken right after a collection. */
export const sampleResources = (intervalMs = 20): ResourceSampler => {
  collectGarbage();
  const baseline = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const cpu = process.cpuUsage(cpuBefore);
      return {
        peakRssMB: (peakRss - baseline.rss) / 1e6,
        peakHeapMB: (peakHeap - baseline.heapUsed) / 1e6,
        cpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - started)) * 100,
      };
    },
    retainedHeapMB() {
      collectGarbage();
      return (process.memoryUsage().heapUsed - baseline.heapUsed) / 1e6;
    },
  };
};
