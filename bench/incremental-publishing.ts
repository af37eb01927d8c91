/**
 * The incremental publisher on the real local servers (dynalite, s3rver), for growing programmes:
 * - one change: an editor retitles the newest event (the worst case: it is in every current feed);
 *   what the publisher renders, writes and holds, measured after a first edit has written them all;
 * - a full rebuild: every page and feed of the programme, events read from dynalite, files kept in
 *   memory (so the rate is ours, not s3rver's), beside two anchors measured in the same run: the
 *   previous whole-programme renderer (planSiteFiles, every page in memory at once) and
 *   preact-render-to-string of a trivial page.
 */
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { localAwsEnv, provisionResources, startAwsServers } from "../local/aws-servers";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { EventRepository, toEventItem } from "../shared/adapters/dynamodb/event-repository";
import { createS3Client, FeedStore } from "../shared/adapters/s3/feed-store";
import { parseConfig } from "../shared/config";
import type { StoredEvent } from "../shared/domain/event";
import type { FeedFile } from "../shared/render/feeds/types";
import { planSiteFiles } from "../shared/render/pages/plan-site-files";
import { siteContextFor } from "../shared/render/pages/site";
import { type FileStore, publishChanges, publishFeeds } from "../shared/use-cases/publish-feeds";
import { BENCH_SERIES, generateEventsOverTime } from "./fixtures";
import { median, sampleResources, settle } from "./measure";
import type { Table, TableRow } from "./table";

const EDITS = 5;
const HTML = "text/html; charset=utf-8";
const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Keeps nothing: counts what a rebuild renders, so its rate is the renderer's and the table's. */
class CountingStore implements FileStore {
  pages = 0;
  files = 0;
  bytes = 0;
  async writeChanged(files: readonly FeedFile[]) {
    for (const file of files) {
      this.files++;
      this.bytes += Buffer.byteLength(file.body);
      if (file.contentType.startsWith(HTML)) this.pages++;
    }
    return { written: [], bytes: 0, deleted: [] };
  }
  async has() {
    return false;
  }
  async keysUnder() {
    return [];
  }
  async *listEverything() {}
  async deleteKeys() {}
}

const load = async (events: StoredEvent[]) => {
  const client = createDocumentClient();
  const items = [
    ...BENCH_SERIES.map((series) => ({
      ...series,
      pk: `SERIES#${series.id}`,
      sk: "SERIES",
      entity: "series",
      gsi1pk: "SERIES",
      gsi1sk: series.id,
    })),
    ...events.map(toEventItem),
  ];
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  for (let start = 0; start < batches.length; start += 8) {
    await Promise.all(
      batches.slice(start, start + 8).map((batch) =>
        client.send(
          new BatchWriteCommand({
            RequestItems: {
              [process.env.TABLE_NAME as string]: batch.map((Item) => ({ PutRequest: { Item } })),
            },
          }),
        ),
      ),
    );
  }
};

export const benchIncrementalPublishing = async (
  sizes: number[] = [100, 1_000, 10_000],
): Promise<Table[]> => {
  const changeRows: TableRow[] = [];
  const rebuildRows: TableRow[] = [];
  for (const size of sizes) {
    process.stderr.write(`  incremental publishing, ${size.toLocaleString("en-US")} events…\n`);
    const servers = await startAwsServers();
    try {
      const names = { tableName: `eventcast-bench-${size}`, bucketName: `eventcast-bench-${size}` };
      await provisionResources({ endpoints: servers.endpoints, ...names, queues: [] });
      Object.assign(process.env, localAwsEnv(servers.endpoints), {
        TABLE_NAME: names.tableName,
        FEED_BUCKET: names.bucketName,
        PUBLIC_URL: "https://events.example.org",
        SENDER_ADDRESS: "events@example.org",
        POSTAL_ADDRESS: "1 Example Street",
      });
      const config = parseConfig(process.env);
      const events = generateEventsOverTime(size);
      await load(events);
      const calls = { dynamodb: 0, s3: 0 };
      const dynamodb = createDocumentClient();
      const s3 = createS3Client();
      // Counts the calls each client sends (retries included): what one change asks of DynamoDB and S3.
      dynamodb.middlewareStack.add(
        (next) => (args) => {
          calls.dynamodb++;
          return next(args);
        },
        { step: "initialize" },
      );
      s3.middlewareStack.add(
        (next) => (args) => {
          calls.s3++;
          return next(args);
        },
        { step: "initialize" },
      );
      const repository = new EventRepository(dynamodb, config.tableName);
      const store = new FeedStore(s3, config.feedBucket);
      const now = () => new Date("2026-12-01T00:00:00Z");
      const deps = { repository, store, config, now };

      // One change, steady state: the first edit writes whatever its files were missing.
      let newest = events[0] as StoredEvent;
      const edit = async (index: number) => {
        const english = newest.translations.en as { title: string };
        const next: StoredEvent = {
          ...newest,
          translations: {
            ...newest.translations,
            en: { ...english, title: `${english.title} (edit ${index})` },
          },
          revision: newest.revision + 1,
          updatedAt: new Date(Date.parse(newest.updatedAt) + 1000).toISOString(),
        };
        await repository.replaceEvent(next, newest);
        const change = { kind: "event" as const, old: newest, new: next };
        newest = next;
        return change;
      };
      await publishChanges(deps, [await edit(0)]);
      const samples: {
        ms: number;
        heap: number;
        rendered: number;
        written: number;
        bytes: number;
        dynamodb: number;
        s3: number;
      }[] = [];
      for (let index = 1; index <= EDITS; index++) {
        const change = await edit(index);
        settle();
        const callsBefore = { ...calls };
        const sampler = sampleResources(5);
        const started = performance.now();
        const result = await publishChanges(deps, [change]);
        const ms = performance.now() - started;
        const usage = sampler.stop();
        samples.push({
          ms,
          heap: usage.peakHeapMB,
          rendered: result.rendered,
          written: result.written.length,
          bytes: result.bytes,
          dynamodb: calls.dynamodb - callsBefore.dynamodb,
          s3: calls.s3 - callsBefore.s3,
        });
      }
      changeRows.push({
        benchmark: "one change",
        case: "retitle the newest event",
        events: size,
        "ms (median)": round(median(samples.map((sample) => sample.ms)), 0),
        "peak heap MB": round(Math.max(...samples.map((sample) => sample.heap)), 1),
        "files rendered": samples[0]?.rendered,
        "files written": samples[0]?.written,
        "KB written": round((samples[0]?.bytes ?? 0) / 1e3, 1),
        "DynamoDB calls": samples[0]?.dynamodb,
        "S3 calls": samples[0]?.s3,
      });
      // Anchor: the local servers' own cost at this size, one call at a time.
      const oneQuery: number[] = [];
      const oneHead: number[] = [];
      for (let run = 0; run < 20; run++) {
        let started = performance.now();
        await repository.publicEventsBy("ending", { before: "2026-12-01", newestFirst: true, limit: 1 });
        oneQuery.push(performance.now() - started);
        started = performance.now();
        await store.has("feed.xml");
        oneHead.push(performance.now() - started);
      }
      changeRows.push({
        benchmark: "anchor",
        case: "one Query (Limit 1) on dynalite",
        events: size,
        "ms (median)": round(median(oneQuery), 1),
        "DynamoDB calls": 1,
      });
      changeRows.push({
        benchmark: "anchor",
        case: "one HeadObject on s3rver",
        events: size,
        "ms (median)": round(median(oneHead), 1),
        "S3 calls": 1,
      });

      // A rebuild from the table, files counted in memory.
      const counting = new CountingStore();
      settle();
      const sampler = sampleResources(20);
      const started = performance.now();
      await publishFeeds({ ...deps, store: counting });
      const seconds = (performance.now() - started) / 1000;
      const usage = sampler.stop();
      rebuildRows.push({
        benchmark: "full rebuild",
        case: "npm run rebuild's use case (dynalite → memory)",
        events: size,
        pages: counting.pages,
        files: counting.files,
        s: round(seconds, 2),
        "pages/s": round(counting.pages / seconds, 0),
        "files/s": round(counting.files / seconds, 0),
        "peak heap MB": round(usage.peakHeapMB, 0),
      });

      // Anchor: the previous renderer, every page of the programme at once, no table reads.
      settle();
      const wholeSampler = sampleResources(20);
      const wholeStarted = performance.now();
      const site = planSiteFiles({ events, series: BENCH_SERIES, site: siteContextFor(config), now: now() });
      const wholeSeconds = (performance.now() - wholeStarted) / 1000;
      const wholeUsage = wholeSampler.stop();
      const wholePages = site.filter((file) => file.contentType.startsWith(HTML)).length;
      rebuildRows.push({
        benchmark: "anchor",
        case: "planSiteFiles: every page in memory at once",
        events: size,
        pages: wholePages,
        files: site.length,
        s: round(wholeSeconds, 2),
        "pages/s": round(wholePages / wholeSeconds, 0),
        "files/s": round(site.length / wholeSeconds, 0),
        "peak heap MB": round(wholeUsage.peakHeapMB, 0),
      });
    } finally {
      await servers.stop();
    }
  }

  // Anchor: the template engine alone, on a trivial page.
  const trivial = () =>
    renderToString(
      h("html", { lang: "en" }, h("body", null, h("h1", null, "Hello"), h("p", null, "A page."))),
    );
  for (let warm = 0; warm < 1_000; warm++) trivial();
  const count = 20_000;
  const started = performance.now();
  for (let index = 0; index < count; index++) trivial();
  const seconds = (performance.now() - started) / 1000;
  rebuildRows.push({
    benchmark: "anchor",
    case: "preact-render-to-string, a trivial page",
    pages: count,
    s: round(seconds, 2),
    "pages/s": round(count / seconds, 0),
  });
  rebuildRows.push(
    {
      benchmark: "reference",
      case: "Hugo (published benchmark, 4,000 pages)",
      pages: 4_000,
      s: 0.68,
      "pages/s": 5_882,
    },
    { benchmark: "reference", case: "Eleventy (same benchmark)", pages: 4_000, s: 1.94, "pages/s": 2_062 },
  );

  const changes = changeRows.filter((row) => row.benchmark === "one change");
  const [first, last] = [changes[0], changes.at(-1)];
  const ratio =
    first && last ? round((last["ms (median)"] as number) / (first["ms (median)"] as number), 2) : undefined;
  return [
    {
      title:
        "One change, incremental publisher on dynalite + s3rver (programme and series feeds, every language, the site)",
      notes: [
        `Median of ${EDITS} edits after a first one; files rendered are compared with the stored ones by HeadObject, and only changed bytes are written.`,
        `Time at the largest size over the smallest: ${ratio}× (goal: at most 1.5×). Peak heap is the publisher's, over its baseline.`,
        "Events are announced one a day and held two weeks later (bench/fixtures.ts generateEventsOverTime).",
      ],
      rows: changeRows,
    },
    {
      title: "Full rebuild: pages per second, with anchors measured in the same run",
      notes: [
        "pages: HTML pages (event pages in each translation, listings, past months, series, subscribe, 404); files add feeds, archives, calendars, sitemaps.",
        "Hugo and Eleventy: the published figures (render and write to disk), not measured here.",
      ],
      rows: rebuildRows,
    },
  ];
};
