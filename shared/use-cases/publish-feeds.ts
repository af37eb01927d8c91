import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { FeedStore } from "../adapters/s3/feed-store";
import { type FeedConfig, planFeedFiles } from "../domain/feeds/plan-feed-files";

export interface PublishFeedsDeps {
  repository: EventRepository;
  store: FeedStore;
  config: FeedConfig;
}

/** The latest change in the programme: an empty feed's date, so it keeps its bytes (and ETag) between renders. */
const latestChange = (changes: { updatedAt: string }[]): Date =>
  new Date(Math.max(0, ...changes.map((change) => Date.parse(change.updatedAt)).filter(Number.isFinite)));

/**
 * Renders every feed (each language: RSS, JSON Feed and iCalendar) from the public events and writes them
 * to the bucket. Idempotent: a retried or repeated run writes the same bytes.
 */
export const publishFeeds = async (deps: PublishFeedsDeps): Promise<number> => {
  const [events, series] = await Promise.all([
    deps.repository.allPublicEventsNewestFirst(deps.config.feedMaxItems),
    deps.repository.listSeries(),
  ]);
  const files = planFeedFiles({
    events,
    series,
    config: deps.config,
    now: latestChange([...events, ...series]),
  });
  await deps.store.putFeeds(files);
  return files.length;
};
