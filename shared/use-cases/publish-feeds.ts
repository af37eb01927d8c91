import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { FeedStore } from "../adapters/s3/feed-store";
import { type FeedConfig, planFeedFiles } from "../render/feeds/plan-feed-files";

export interface PublishFeedsDeps {
  repository: EventRepository;
  store: FeedStore;
  config: FeedConfig;
}

/** The latest change in the programme: an empty feed's date, so it keeps its bytes (and ETag) between renders. */
const latestChange = (changes: { updatedAt: string }[]): Date =>
  new Date(changes.reduce((latest, change) => Math.max(latest, Date.parse(change.updatedAt) || 0), 0));

/**
 * Renders every feed (each language and series: RSS, JSON Feed and iCalendar) from the public
 * events and writes the ones that changed to the bucket. Returns how many it wrote. Idempotent.
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
  return deps.store.putFeeds(files);
};
