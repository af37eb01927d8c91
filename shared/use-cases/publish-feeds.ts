/**
 * The static publisher: renders the files a change shows in (publish-plan.ts) from bounded slices
 * of the table and writes those whose bytes changed. The same renderer serves the hourly run (events
 * that ended since move to the past) and the full rebuild, which walks the programme month by
 * month so that its memory stays that of one month, then deletes what it did not render.
 */
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { FeedStore, ListedObject, StoreWrites } from "../adapters/s3/feed-store";
import type { Config } from "../config";
import type { Series, StoredEvent } from "../domain/event";
import { eventEndInstant } from "../domain/event-time";
import { FeedItemRenderer, type FeedPage, renderFeedFamily } from "../render/feeds/feed-family";
import type { FeedConfig } from "../render/feeds/plan-feed-files";
import type { FeedFile } from "../render/feeds/types";
import { isOver } from "../render/pages/event-facts";
import { LISTING_PAGE_SIZE } from "../render/pages/plan-site-files";
import { type SiteContext, siteContextFor } from "../render/pages/site";
import {
  eventPageFiles,
  pastListingFiles,
  SITEMAP_INDEX_KEY,
  SITEMAP_PARTS_FOLDER,
  seriesPageFiles,
  sitemapIndexFile,
  sitemapMonthFile,
  sitemapPagesFile,
  staticSiteFiles,
  upcomingListingFiles,
  upcomingPageKeys,
} from "../render/pages/site-files";
import {
  addEventShowings,
  type Change,
  emptyPlan,
  monthOf,
  type PublishPlan,
  planChanges,
  seriesMonthKey,
} from "../render/publish-plan";
import { dropLanguageProblem, publisherOwns, unconfiguredLanguageFolderOf } from "../render/published-keys";

export type PublishConfig = FeedConfig & Pick<Config, "publishesSite" | "organisationName" | "feedMaxItems">;

/** Where the files go: the feed bucket (FeedStore), or anything that keeps files by key. */
export type FileStore = Pick<
  FeedStore,
  "writeChanged" | "has" | "keysUnder" | "listEverything" | "deleteKeys"
>;

export interface PublishFeedsDeps {
  repository: EventRepository;
  store: FileStore;
  config: PublishConfig;
  /**
   * Decides which events the pages show as upcoming and which as over; a rebuild deletes only files
   * written before it began.
   */
  now?: () => Date;
}

export interface PublishResult extends StoreWrites {
  /** Files rendered (and compared with the stored ones). */
  rendered: number;
}

/** Queries at once: DynamoDB answers each in milliseconds, so a change's few dozen overlap. */
const QUERY_CONCURRENCY = 8;

const eachAtOnce = async <T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> => {
  for (let start = 0; start < items.length; start += QUERY_CONCURRENCY) {
    await Promise.all(items.slice(start, start + QUERY_CONCURRENCY).map(run));
  }
};

/** The month after `month` (YYYY-MM). */
const nextMonth = (month: string): string => {
  const date = new Date(`${month}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.toISOString().slice(0, 7);
};

const endOf = (event: StoredEvent) => new Date(eventEndInstant(event)).toISOString();

/** Files written in batches while the rest render: memory holds a batch, never the whole rebuild. */
const WRITE_BATCH = 200;

class FileWriter {
  private batch: FeedFile[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly result: PublishResult = { written: [], deleted: [], bytes: 0, rendered: 0 };
  constructor(
    private readonly store: FileStore,
    private readonly renderedKeys?: Set<string>,
  ) {}

  add(...files: FeedFile[]): void {
    this.batch.push(...files);
    this.result.rendered += files.length;
    for (const file of files) this.renderedKeys?.add(file.key);
    if (this.batch.length >= WRITE_BATCH) this.flush();
  }

  async finish(deletions: readonly string[]): Promise<PublishResult> {
    this.flush(deletions);
    await this.writing;
    // A failed write fails the publish (the stream retries it), after the writes under way settle.
    if (this.failure) throw this.failure;
    this.result.written.sort();
    this.result.deleted.sort();
    return this.result;
  }

  private flush(deletions: readonly string[] = []): void {
    const files = this.batch;
    this.batch = [];
    this.writing = this.writing
      .then(async () => {
        if (this.failure) return;
        const writes = await this.store.writeChanged(files, deletions);
        this.result.written.push(...writes.written);
        this.result.deleted.push(...writes.deleted);
        this.result.bytes += writes.bytes;
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }
}

type EventSlice = Parameters<EventRepository["publicEventsBy"]>[1];
type EventOrder = Parameters<EventRepository["publicEventsBy"]>[0];
const sliceKey = (order: EventOrder, { series, month, from, before, newestFirst, limit }: EventSlice) =>
  JSON.stringify([order, series, month, from, before, newestFirst, limit]);

/** The repository's slices, each read once per publish: a month's events serve its archive and its sitemap part. */
const readOnce = (repository: EventRepository, known: ReadonlyMap<string, Promise<StoredEvent[]>>) => {
  const reads = new Map(known);
  return (order: EventOrder, slice: EventSlice): Promise<StoredEvent[]> => {
    const key = sliceKey(order, slice);
    let answer = reads.get(key);
    if (!answer) {
      answer = repository.publicEventsBy(order, slice);
      reads.set(key, answer);
    }
    return answer;
  };
};

/** How one turn of a rebuild differs from a change's publish. */
interface Turn {
  /** A change re-renders the months beside its own (their links); a rebuild renders each month in its own turn. */
  neighbours: boolean;
  /** The sitemap parts to render; by default those of the months whose event pages or past page were rendered. */
  sitemapMonths?: readonly string[];
  /** Slices already read (sliceKey), so the rebuild can read the next month while this one renders. */
  read?: ReadonlyMap<string, Promise<StoredEvent[]>>;
  /** The series as the rebuild read them once, with its item renderer over them (kept across turns). */
  series?: { all: readonly Series[]; items: FeedItemRenderer };
  /** Collects the key of every file rendered (written or already right): a rebuild deletes the others. */
  renderedKeys?: Set<string>;
  /** The rebuild writes the sitemap index itself, after deleting orphaned parts, so it never names them. */
  sitemapIndex?: boolean;
}

const A_CHANGE: Turn = { neighbours: true };

/** The index names the parts that exist, read from the bucket's small sitemaps/ folder. */
const writeSitemapIndex = async (store: FileStore, site: SiteContext) =>
  store.writeChanged([sitemapIndexFile(site, await store.keysUnder(SITEMAP_PARTS_FOLDER))]);

/** Renders the plan's files from the table and writes the changed ones. */
const publishPlan = async (
  deps: PublishFeedsDeps,
  plan: PublishPlan,
  turn = A_CHANGE,
): Promise<PublishResult> => {
  const { config } = deps;
  const read = readOnce(deps.repository, turn.read ?? new Map());
  const repository = { publicEventsBy: read, listSeries: () => deps.repository.listSeries() };
  const now = (deps.now ?? (() => new Date()))();
  const nowIso = now.toISOString();
  const thisMonth = nowIso.slice(0, 7);
  const limit = config.feedMaxItems;
  const site: SiteContext = siteContextFor(config);
  const allSeries = turn.series?.all ?? (await repository.listSeries());
  const seriesById = new Map(allSeries.map((entry) => [entry.id, entry]));

  // A renamed series shows in every one of its events: bounded by the series' size.
  for (const seriesId of plan.renamedSeries) {
    for (const event of await repository.publicEventsBy("ending", { series: seriesId, newestFirst: true })) {
      plan.events.set(event.id, event);
      addEventShowings(plan, event);
    }
  }

  const renderer = turn.series?.items ?? new FeedItemRenderer(config, seriesById);
  const files = new FileWriter(deps.store, turn.renderedKeys);
  const deletions = [...plan.removedPages];
  const languages = plan.feedLanguages === "all" ? undefined : plan.feedLanguages;
  const family = (page: FeedPage, events: readonly StoredEvent[], seriesId?: string) =>
    files.add(
      ...renderFeedFamily({
        config,
        seriesById,
        seriesId,
        page,
        events,
        renderer,
        ...(languages ? { languages } : {}),
      }),
    );

  // Archive months and their neighbours (whose links may change), by the index the scope pages on.
  const archives = async (months: Iterable<string>, seriesId?: string) => {
    const order = seriesId ? "ending" : "published";
    const neighbours = async (month: string) => {
      const [older] = await repository.publicEventsBy(order, {
        series: seriesId,
        before: month,
        newestFirst: true,
        limit: 1,
      });
      const [newer] = await repository.publicEventsBy(order, {
        series: seriesId,
        from: nextMonth(month),
        newestFirst: false,
        limit: 1,
      });
      const monthOfKey = (event?: StoredEvent) =>
        event ? monthOf(seriesId ? endOf(event) : (event.publishedAt ?? event.updatedAt)) : undefined;
      return { older: monthOfKey(older), newer: monthOfKey(newer) };
    };
    const found = new Map<string, ReturnType<typeof neighbours>>();
    const neighboursOf = (month: string) => {
      const answer = found.get(month) ?? neighbours(month);
      found.set(month, answer);
      return answer;
    };
    const toRender = new Set<string>();
    await eachAtOnce([...months], async (month) => {
      toRender.add(month);
      if (!turn.neighbours) return;
      const { older, newer } = await neighboursOf(month);
      if (older) toRender.add(older);
      if (newer) toRender.add(newer);
    });
    await eachAtOnce([...toRender], async (month) => {
      const events = await repository.publicEventsBy(order, { series: seriesId, month, newestFirst: true });
      if (events.length === 0) return;
      const { older, newer } = await neighboursOf(month);
      family(
        { kind: "archive", month, older, newer, final: month < thisMonth && newer !== undefined },
        events,
        seriesId,
      );
    });
  };

  const upcomingOf = (seriesId?: string) =>
    repository.publicEventsBy("ending", { series: seriesId, from: nowIso, newestFirst: false });
  const recentPastOf = (count: number, seriesId?: string) =>
    repository.publicEventsBy("ending", {
      series: seriesId,
      before: nowIso,
      newestFirst: true,
      limit: count,
    });

  for (const event of plan.events.values()) {
    if (config.publishesSite) files.add(...eventPageFiles(site, event, seriesById.get(event.series), now));
  }
  const programmeArchives = archives(plan.publicationMonths);
  const seriesFamilies = eachAtOnce([...plan.series], async (seriesId) => {
    const series = seriesById.get(seriesId);
    if (!series) return;
    const current = await repository.publicEventsBy("ending", { series: seriesId, newestFirst: true, limit });
    const newest = current[0];
    family(
      { kind: "current", newestArchive: newest ? monthOf(endOf(newest)) : undefined },
      current,
      seriesId,
    );
    const [upcoming, recentPast] = await Promise.all([
      upcomingOf(seriesId),
      recentPastOf(Math.max(limit, LISTING_PAGE_SIZE), seriesId),
    ]);
    family({ kind: "calendar" }, [...upcoming, ...recentPast.slice(0, limit)], seriesId);
    if (config.publishesSite) {
      files.add(
        ...seriesPageFiles({ site, series, upcoming, recentPast: recentPast.slice(0, LISTING_PAGE_SIZE) }),
      );
    }
  });
  // Series archives by (series, month): a series need not be rendered whole for one of its months.
  const monthsBySeries = new Map<string, string[]>();
  for (const key of plan.seriesEndMonths) {
    const [seriesId = "", month = ""] = key.split("\u0000");
    monthsBySeries.set(seriesId, [...(monthsBySeries.get(seriesId) ?? []), month]);
  }
  const seriesArchives = eachAtOnce([...monthsBySeries], async ([seriesId, months]) => {
    if (seriesById.has(seriesId)) await archives(months, seriesId);
  });
  await Promise.all([programmeArchives, seriesFamilies, seriesArchives]);

  if (plan.programme) {
    const current = await repository.publicEventsBy("published", { newestFirst: true, limit });
    const newest = current[0];
    family(
      {
        kind: "current",
        newestArchive: newest ? monthOf(newest.publishedAt ?? newest.updatedAt) : undefined,
      },
      current,
    );
    const [upcoming, recentPast] = await Promise.all([
      upcomingOf(),
      recentPastOf(Math.max(limit, LISTING_PAGE_SIZE)),
    ]);
    family({ kind: "calendar" }, [...upcoming, ...recentPast.slice(0, limit)]);
    if (config.publishesSite) {
      const listings = upcomingListingFiles({ site, upcoming, recentPast, series: allSeries });
      files.add(...listings);
      // A shorter programme has fewer upcoming pages: delete the ones it no longer has.
      const pageCount = Math.max(1, Math.ceil(upcoming.length / LISTING_PAGE_SIZE));
      for (
        let number = pageCount + 1;
        await deps.store.has(upcomingPageKeys(site, number)[0] as string);
        number++
      ) {
        deletions.push(...upcomingPageKeys(site, number));
      }
      const latestPast = recentPast.slice(0, LISTING_PAGE_SIZE);
      const oldestShown = latestPast.at(-1);
      files.add(
        ...pastListingFiles({
          site,
          events: latestPast,
          series: allSeries,
          older: oldestShown ? monthOf(endOf(oldestShown)) : undefined,
        }),
        sitemapPagesFile(site, allSeries, pageCount),
      );
    }
  }

  if (config.publishesSite) {
    // Past months with their neighbours, up to now: the month an event ends in, and the months beside it.
    const pastMonths = new Set<string>();
    const pastNeighbours = async (month: string) => {
      const [older] = await repository.publicEventsBy("ending", {
        before: month,
        newestFirst: true,
        limit: 1,
      });
      const [newer] = await repository.publicEventsBy("ending", {
        from: nextMonth(month),
        before: nowIso,
        newestFirst: false,
        limit: 1,
      });
      return { older: older && monthOf(endOf(older)), newer: newer && monthOf(endOf(newer)) };
    };
    await eachAtOnce(
      [...plan.endMonths].filter((month) => month <= thisMonth),
      async (month) => {
        pastMonths.add(month);
        if (!turn.neighbours) return;
        const { older, newer } = await pastNeighbours(month);
        if (older) pastMonths.add(older);
        if (newer) pastMonths.add(newer);
      },
    );
    const monthsWithPastPage = new Set<string>();
    await eachAtOnce([...pastMonths], async (month) => {
      const events = (await repository.publicEventsBy("ending", { month, newestFirst: true })).filter(
        (event) => isOver(event, now),
      );
      const pages = pastListingFiles({
        site,
        events,
        series: allSeries,
        month,
        ...(await pastNeighbours(month)),
      });
      if (events.length === 0) deletions.push(...pages.map((page) => page.key));
      else {
        files.add(...pages);
        monthsWithPastPage.add(month);
      }
    });
    if (plan.seriesNames) files.add(...staticSiteFiles(site, allSeries));
    // A month this publish renders no past page of still has one if its first event to end is over.
    const firstToEnd = (month: string) =>
      repository.publicEventsBy("ending", { month, newestFirst: false, limit: 1 });
    // Sitemap parts: the months whose event pages or past page changed.
    const sitemapMonths = turn.sitemapMonths ?? [...new Set([...plan.publicationMonths, ...pastMonths])];
    await eachAtOnce(sitemapMonths, async (month) => {
      // The archive's read, oldest first: keys are unique, so the reverse order is exact.
      const published = (
        await repository.publicEventsBy("published", { month, newestFirst: true })
      ).toReversed();
      const hasPastPage = pastMonths.has(month)
        ? monthsWithPastPage.has(month)
        : month <= thisMonth && (await firstToEnd(month)).some((event) => isOver(event, now));
      if (published.length === 0 && !hasPastPage) deletions.push(`${SITEMAP_PARTS_FOLDER}${month}.xml`);
      else files.add(sitemapMonthFile(site, month, published, hasPastPage));
    });
  }

  const result = await files.finish(deletions);
  let rendered = result.rendered;
  if (config.publishesSite && plan.programme && turn.sitemapIndex !== false) {
    const index = await writeSitemapIndex(deps.store, site);
    result.written.push(...index.written);
    result.bytes += index.bytes;
    rendered += 1;
  }
  return { ...result, rendered };
};

/** Publishes what a batch of stream changes shows in. */
export const publishChanges = (deps: PublishFeedsDeps, changes: readonly Change[]): Promise<PublishResult> =>
  publishPlan(deps, planChanges(siteContextFor(deps.config), changes));

/** How far back the hourly run looks for events that ended: two runs, so a missed run is caught up. */
export const ELAPSED_WINDOW_MS = 2 * 3_600_000;

/** The hourly run: events that ended within the window move from upcoming to past. */
export const publishElapsed = async (deps: PublishFeedsDeps): Promise<PublishResult> => {
  const now = (deps.now ?? (() => new Date()))();
  const ended = await deps.repository.publicEventsBy("ending", {
    from: new Date(now.getTime() - ELAPSED_WINDOW_MS).toISOString(),
    before: now.toISOString(),
    newestFirst: false,
  });
  const plan = emptyPlan();
  plan.programme = true;
  for (const event of ended) {
    plan.events.set(event.id, event);
    addEventShowings(plan, event);
  }
  return publishPlan(deps, plan);
};

const add = (total: PublishResult, part: PublishResult) => {
  total.written.push(...part.written);
  total.deleted.push(...part.deleted);
  total.bytes += part.bytes;
  total.rendered += part.rendered;
};

export interface RebuildOptions {
  /** Told each batch of orphans deleted (up to 1,000 keys), so they can be logged without being kept. */
  onOrphansDeleted?: (keys: readonly string[]) => void;
  /**
   * Deletes the orphans even when the table has no published event. Without it, such a rebuild
   * (a table restored empty, or the wrong one) deletes nothing and counts what it kept.
   */
  evenIfEmpty?: boolean;
  /**
   * Languages taken out of LANGUAGES whose folders (pages and feeds) the rebuild deletes too, with
   * the same care as other orphans. Each must pass dropLanguageProblem.
   */
  dropLanguages?: readonly string[];
}

/** A folder named like a language that is not configured, with that language's feed in it: a dropped language's, most likely. */
export interface UnconfiguredLanguageFolder {
  language: string;
  files: number;
}

export interface RebuildResult extends PublishResult {
  /** How many orphans it deleted: files under the publisher's keys that it did not render. */
  orphans: number;
  /** Orphans it kept because the table has no published event and `evenIfEmpty` was not given. */
  keptOrphans: number;
  /** Folders of languages no longer configured that it kept: `dropLanguages` deletes them. */
  unconfiguredLanguages: UnconfiguredLanguageFolder[];
}

/** A rebuild asked for something it must not do; nothing was rendered or deleted. */
export class RebuildRequestError extends Error {
  override name = "RebuildRequestError";
}

/**
 * How long before a rebuild began a file must have been written for the rebuild to delete it: the
 * function's clock and S3's may differ, and real orphans (a parked batch's, an older layout's) are
 * hours or months old.
 */
export const ORPHAN_MIN_AGE_MS = 60_000;

/**
 * Deletes what a rebuild did not render under the keys the publisher owns (published-keys.ts):
 * pages left by a stream batch that was parked (a removed translation, an old slug), and files of
 * older layouts that nothing links to. It reads the bucket's listing a page at a time and deletes
 * each page's orphans in one DeleteObjects call, so memory holds the rendered keys and one page. A
 * file written since the rebuild began is kept: a change published meanwhile, which the walk may
 * have read before it. The rebuild writes the sitemap index after this, from the parts left.
 */
const deleteOrphans = async (
  deps: PublishFeedsDeps,
  renderedKeys: ReadonlySet<string>,
  options: RebuildOptions & { countOnly: boolean },
): Promise<{ orphans: number; unconfiguredLanguages: UnconfiguredLanguageFolder[] }> => {
  const { store, config } = deps;
  const dropped = options.dropLanguages ?? [];
  const owned = publisherOwns(config, dropped);
  const known = [...config.languages, ...dropped];
  /** Folders named like unconfigured languages (a handful at most): their files, and whether a language feed is there. */
  const unconfigured = new Map<string, { files: number; feed: boolean }>();
  const began = (deps.now ?? (() => new Date()))().getTime() - ORPHAN_MIN_AGE_MS;
  // S3 keeps whole seconds: a file written in the second the rebuild began must not look older.
  const writtenBefore = Math.floor(began / 1000) * 1000;
  const isOrphan = ({ key, lastModified }: ListedObject) =>
    owned(key) &&
    !renderedKeys.has(key) &&
    lastModified !== undefined &&
    lastModified.getTime() < writtenBefore;
  let deleted = 0;
  for await (const page of store.listEverything()) {
    for (const { key } of page) {
      const folder = unconfiguredLanguageFolderOf(key, known);
      if (!folder) continue;
      const seen = unconfigured.get(folder) ?? { files: 0, feed: false };
      seen.files++;
      seen.feed ||= key === `${folder}/feed.xml`;
      unconfigured.set(folder, seen);
    }
    const orphans = page.filter(isOrphan).map(({ key }) => key);
    if (orphans.length === 0) continue;
    deleted += orphans.length;
    if (options.countOnly) continue;
    await store.deleteKeys(orphans);
    options.onOrphansDeleted?.(orphans);
  }
  const unconfiguredLanguages = [...unconfigured]
    .filter(([, seen]) => seen.feed)
    .map(([language, { files }]) => ({ language, files }));
  return { orphans: deleted, unconfiguredLanguages };
};

/** Reads an index month by month, oldest first: the next month is read while the caller renders this one. */
async function* monthsOf(
  repository: EventRepository,
  order: EventOrder,
  monthOfEvent: (event: StoredEvent) => string,
) {
  const readAfter = async (after?: string) => {
    const [first] = await repository.publicEventsBy(order, {
      from: after && nextMonth(after),
      newestFirst: false,
      limit: 1,
    });
    if (!first) return undefined;
    const month = monthOfEvent(first);
    const slice = { month, newestFirst: true };
    return { month, slice, events: await repository.publicEventsBy(order, slice) };
  };
  let next = readAfter();
  for (let current = await next; current; current = await next) {
    next = readAfter(current.month);
    yield current;
  }
}

/**
 * Renders every file of the programme month by month, oldest first: a month's past page and series
 * archives (by end), its event pages, programme archive and sitemap part (by publication), then
 * every series and the programme's own documents. Each month is read once per index and rendered
 * once, and the next month is read while this one renders: memory holds two months of events. An
 * event's feed items, rendered in its month of publication, serve again in its month of end when
 * that is the same or the next. Then it deletes the orphans: see deleteOrphans.
 */
export const publishFeeds = async (
  deps: PublishFeedsDeps,
  options: RebuildOptions = {},
): Promise<RebuildResult> => {
  const { repository, config } = deps;
  for (const language of options.dropLanguages ?? []) {
    const problem = dropLanguageProblem(language, config.languages);
    if (problem) throw new RebuildRequestError(`dropLanguages: ${problem}`);
  }
  const now = (deps.now ?? (() => new Date()))();
  const thisMonth = now.toISOString().slice(0, 7);
  // One instant and one read of the series for the whole rebuild.
  const atNow = { ...deps, now: () => now };
  const all = await repository.listSeries();
  const series = { all, items: new FeedItemRenderer(config, new Map(all.map((entry) => [entry.id, entry]))) };
  const total: PublishResult = { written: [], deleted: [], bytes: 0, rendered: 0 };
  // Keys only, no bodies: tens of thousands of short strings for a programme of 10,000 events.
  const renderedKeys = new Set<string>();
  const byEnd = monthsOf(repository, "ending", (event) => monthOf(endOf(event)));
  const byPublication = monthsOf(repository, "published", (event) =>
    monthOf(event.publishedAt ?? event.updatedAt),
  );
  let [ending, published] = await Promise.all([byEnd.next(), byPublication.next()]);
  // An empty walk deletes nothing unless told to: a restored or wrong table must not empty the site.
  const hasEvents = !published.done;
  while (!ending.done || !published.done) {
    const month = [ending.value?.month, published.value?.month].filter(Boolean).sort()[0] as string;
    const plan = emptyPlan();
    const read = new Map<string, Promise<StoredEvent[]>>();
    const ended = ending.value?.month === month ? ending.value : undefined;
    const first = published.value?.month === month ? published.value : undefined;
    if (ended) {
      plan.endMonths.add(month);
      read.set(sliceKey("ending", ended.slice), Promise.resolve(ended.events));
      // A series' slice of the month is the programme's, filtered: the same events in the same order.
      for (const event of ended.events) {
        plan.seriesEndMonths.add(seriesMonthKey(event.series, month));
        const seriesSlice = sliceKey("ending", { series: event.series, ...ended.slice });
        if (!read.has(seriesSlice)) {
          read.set(
            seriesSlice,
            Promise.resolve(ended.events.filter((other) => other.series === event.series)),
          );
        }
      }
    }
    if (first) {
      for (const event of first.events) plan.events.set(event.id, event);
      plan.publicationMonths.add(month);
    }
    read.set(sliceKey("published", { month, newestFirst: true }), Promise.resolve(first?.events ?? []));
    if (!ended) read.set(sliceKey("ending", { month, newestFirst: false, limit: 1 }), Promise.resolve([]));
    // A month's sitemap part names its publications and its past page (deleted when it has neither).
    const sitemapMonths = first || (ended && month <= thisMonth) ? [month] : [];
    series.items.nextTurn();
    add(
      total,
      await publishPlan(atNow, plan, { neighbours: false, sitemapMonths, read, series, renderedKeys }),
    );
    [ending, published] = await Promise.all([
      ended ? byEnd.next() : ending,
      first ? byPublication.next() : published,
    ]);
  }
  const plan = emptyPlan();
  plan.programme = true;
  plan.seriesNames = true;
  for (const entry of all) plan.series.add(entry.id);
  add(total, await publishPlan(atNow, plan, { neighbours: true, series, renderedKeys, sitemapIndex: false }));
  if (config.publishesSite) renderedKeys.add(SITEMAP_INDEX_KEY);
  const countOnly = !hasEvents && !options.evenIfEmpty;
  const { orphans: found, unconfiguredLanguages } = await deleteOrphans(atNow, renderedKeys, {
    ...options,
    countOnly,
  });
  if (config.publishesSite) {
    const index = await writeSitemapIndex(deps.store, siteContextFor(config));
    total.written.push(...index.written);
    total.bytes += index.bytes;
    total.rendered += 1;
  }
  return {
    ...total,
    orphans: countOnly ? 0 : found,
    keptOrphans: countOnly ? found : 0,
    unconfiguredLanguages,
  };
};

export type { Change };
