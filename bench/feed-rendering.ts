/**
 * Feed rendering for growing programmes, all nine feeds (default + eight languages): eventcast's
 * planFeedFiles end to end (RSS, JSON Feed and iCalendar), then RSS and JSON each on its own against
 * the `feed` package (v6: RSS 2.0 and JSON Feed 1.0) given the very same prebuilt items.
 */
import { Feed } from "feed";
import {
  buildFeedDocuments,
  type FeedDocument,
  planFeedFiles,
  renderJsonFeed,
  renderRssFeed,
} from "../shared/render/feeds";
import { BENCH_CONFIG, BENCH_SERIES, generateEvents } from "./fixtures";
import { type BenchRow, measure, settle } from "./measure";

const BENCHMARK = "feed rendering";

/** The same feed document through the `feed` package. */
const toFeedPackage = (document: FeedDocument): Feed => {
  const feed = new Feed({
    id: document.homePageUrl,
    title: document.title,
    description: document.description,
    link: document.homePageUrl,
    language: document.language,
    updated: new Date(document.lastBuildDate),
    feedLinks: { rss: document.rssUrl, json: document.jsonUrl },
    generator: "eventcast",
  });
  for (const item of document.items) {
    feed.addItem({
      id: item.id,
      guid: item.id,
      title: item.title,
      link: item.url,
      date: new Date(item.publishedAt),
      description: item.summary,
      content: item.contentHtml,
      category: item.categories.map((name) => ({ name })),
    });
  }
  return feed;
};

const megabytes = (bodies: string[]): number =>
  bodies.reduce((total, body) => total + Buffer.byteLength(body), 0) / 1e6;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Rows for each programme size: eventcast end to end, then RSS and JSON side by side with `feed`. */
export const benchFeedRendering = (sizes: number[] = [100, 1_000, 10_000]): BenchRow[] => {
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    const input = {
      events: generateEvents(size),
      series: BENCH_SERIES,
      config: BENCH_CONFIG,
      now: new Date(),
    };
    let items = 0;
    const row = (name: string, render: () => string[]): void => {
      settle();
      const { ms, opsPerSecond, heapMB, result } = measure(render);
      rows.push({
        benchmark: BENCHMARK,
        case: name,
        size,
        items,
        ms: round(ms, 1),
        "ops/s": round(opsPerSecond, 2),
        "heap MB": round(heapMB, 1),
        "output MB": round(megabytes(result), 1),
      });
    };
    // End to end first, before the prebuilt documents below take their share of the heap.
    items = buildFeedDocuments(input).reduce((total, planned) => total + planned.document.items.length, 0);
    row("eventcast planFeedFiles (items + RSS + JSON + iCalendar)", () =>
      planFeedFiles(input).map((file) => file.body),
    );
    const documents = buildFeedDocuments(input).map((planned) => planned.document);
    row("eventcast RSS 2.0 (rss pkg)", () => documents.map(renderRssFeed));
    row("feed@6 RSS 2.0", () => documents.map((document) => toFeedPackage(document).rss2()));
    row("eventcast JSON Feed 1.1", () => documents.map(renderJsonFeed));
    row("feed@6 JSON Feed 1.0", () => documents.map((document) => toFeedPackage(document).json1()));
  }
  return rows;
};
