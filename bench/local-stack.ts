/**
 * The benchmarks on the local stack, each in a child process of its own (bench/stack-worker.ts):
 * publish → visible-in-feed latency, then the fan-out for each subscriber count. Tables of the same
 * title from several children are merged.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Table } from "./table";

const WORKER = fileURLToPath(new URL("./stack-worker.ts", import.meta.url));
/** A child that has not answered by then is stopped and the benchmark fails. */
const WORKER_TIMEOUT_MS = 10 * 60_000;
/** A child that answered but is still shutting its stack down after this long is stopped. */
const EXIT_GRACE_MS = 15_000;

const runWorker = (args: string[]): Promise<Table[]> =>
  new Promise((resolve, reject) => {
    const child = fork(WORKER, args, {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let tables: Table[] | undefined;
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`stack-worker ${args.join(" ")} took longer than ${WORKER_TIMEOUT_MS} ms`));
    }, WORKER_TIMEOUT_MS);
    child.on("message", (message) => {
      tables = message as Table[];
      setTimeout(() => child.kill(), EXIT_GRACE_MS).unref();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (tables) resolve(tables);
      else reject(new Error(`stack-worker ${args.join(" ")} exited with ${signal ?? code} and no result`));
    });
  });

const merge = (tables: Table[]): Table[] => {
  const byTitle = new Map<string, Table>();
  for (const table of tables) {
    const existing = byTitle.get(table.title);
    if (existing) existing.rows.push(...table.rows);
    else byTitle.set(table.title, { ...table, rows: [...table.rows] });
  }
  return [...byTitle.values()];
};

export const benchPublishToFeed = (publishes: number): Promise<Table[]> =>
  runWorker(["latency", String(publishes)]);

export const benchFanOuts = async (subscriberCounts: number[], sesLatencies: number[]): Promise<Table[]> => {
  const tables: Table[] = [];
  for (const sesLatencyMs of sesLatencies) {
    for (const subscribers of subscriberCounts) {
      process.stderr.write(
        `  fan-out to ${subscribers.toLocaleString("en-US")} subscribers, SES answering in ${sesLatencyMs} ms…\n`,
      );
      tables.push(...(await runWorker(["fan-out", String(subscribers), String(sesLatencyMs)])));
    }
  }
  return merge(tables);
};
