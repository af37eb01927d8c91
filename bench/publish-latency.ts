/**
 * Publish → visible in the feeds and on the site, on the local stack: an editor creates a draft over
 * HTTP, then the clock starts as the publish call goes out, and tight loops GET two feeds until the
 * event's id is in them and its page until it answers 200: stream emulator → feed publisher → the
 * files the change shows in rendered and written to S3 → the front.
 */
import { seedOnFirstStart } from "../local/seed";
import type { LocalStack } from "../local/stack";
import { percentile } from "./measure";
import { createDraftEvent, publishEvent } from "./stack-client";
import type { Table, TableRow } from "./table";

/** What is polled: the feeds show the event's id; its page exists once published (404 before). */
const FEEDS = [
  { path: () => "/feed.xml", label: "GET /feed.xml shows it (RSS 2.0, en)" },
  { path: () => "/ka/feed.json", label: "GET /ka/feed.json shows it (JSON Feed 1.1, ka)" },
  {
    path: (slug: string) => `/en/events/${slug}`,
    label: "GET /en/events/{slug} answers its page (200)",
    page: true,
  },
];
const GIVE_UP_MS = 30_000;
/** A single GET slower than this is a stalled read (see the notes on s3rver in the bench output). */
const STALLED_MS = 1000;

interface Sighting {
  ms: number;
  polls: number;
  stalled: number;
}

/** Polls `url` back to back until its body contains `id` (or, for a page, it exists): the time since `started`, and how many GETs. */
const firstSeen = async (url: string, id: string, started: number, page = false): Promise<Sighting> => {
  let stalled = 0;
  for (let polls = 1; ; polls++) {
    const sent = performance.now();
    const response = await fetch(url);
    const body = await response.text();
    const now = performance.now();
    if (now - sent > STALLED_MS) stalled++;
    if (response.ok && (page || body.includes(id))) return { ms: now - started, polls, stalled };
    if (now - started > GIVE_UP_MS) throw new Error(`${id} was not in ${url} after ${GIVE_UP_MS} ms`);
  }
};

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

const latencyRow = (
  label: string,
  publishes: number,
  samples: number[],
  sightings?: Sighting[],
): TableRow => ({
  benchmark: "publish → visible",
  case: label,
  publishes,
  "p50 ms": round(percentile(samples, 50), 1),
  "p95 ms": round(percentile(samples, 95), 1),
  "max ms": round(Math.max(...samples), 1),
  "GETs/publish": sightings
    ? round(sum(sightings.map((each) => each.polls)) / sightings.length, 1)
    : undefined,
  "GETs > 1 s": sightings ? sum(sightings.map((each) => each.stalled)) : undefined,
});

export const benchPublishLatency = async (stack: LocalStack, publishes: number): Promise<Table[]> => {
  // The seed publish creates the feeds and warms the publish path and the feed publisher.
  await seedOnFirstStart(stack.url, stack.adminToken);
  await stack.drained();
  const answered: number[] = [];
  const seen = FEEDS.map(() => [] as Sighting[]);
  for (let index = 0; index < publishes; index++) {
    const slug = `bench-latency-${index}`;
    const id = await createDraftEvent(stack, slug);
    await stack.drained();
    const started = performance.now();
    const publishing = publishEvent(stack, id).then(() => answered.push(performance.now() - started));
    const results = await Promise.all(
      FEEDS.map((feed) => firstSeen(`${stack.url}${feed.path(slug)}`, id, started, feed.page)),
    );
    await publishing;
    results.forEach((result, feed) => {
      seen[feed]?.push(result);
    });
    // The next publish starts on an idle stack: the feed publisher has finished this one.
    await stack.drained();
  }
  return [
    {
      title: `Publish → visible in the feeds and on the site, local stack (${publishes} publishes, one at a time)`,
      notes: [
        "From the publish call to the first GET whose body has the event's id (the page: the first 200); GETs back to back, all three at once.",
        "GETs > 1 s: reads that raced s3rver rewriting the file in place; the front retries them after a 500 ms deadline (local only).",
      ],
      rows: [
        latencyRow("POST /api/admin/events/{id}/publish answered", publishes, answered),
        ...FEEDS.map((feed, index) => {
          const sightings = seen[index] ?? [];
          return latencyRow(
            feed.label,
            publishes,
            sightings.map((each) => each.ms),
            sightings,
          );
        }),
      ],
    },
  ];
};
