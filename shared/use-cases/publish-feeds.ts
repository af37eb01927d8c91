import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { FeedStore } from "../adapters/s3/feed-store";
import type { Config } from "../config";
import { type FeedConfig, planFeedFiles } from "../render/feeds/plan-feed-files";
import { planSiteFiles } from "../render/pages/plan-site-files";
import { siteContextFor } from "../render/pages/site";

export type PublishConfig = FeedConfig & Pick<Config, "publishesSite" | "organisationName">;

export interface PublishFeedsDeps {
  repository: EventRepository;
  store: FeedStore;
  config: PublishConfig;
  /** Decides which events the pages show as upcoming and which as over. */
  now?: () => Date;
}

/** The latest change in the programme: an empty feed's date, so it keeps its bytes (and ETag) between renders. */
const latestChange = (changes: { updatedAt: string }[]): Date =>
  new Date(changes.reduce((latest, change) => Math.max(latest, Date.parse(change.updatedAt) || 0), 0));

/**
 * Renders every feed (each language and series: RSS, JSON Feed and iCalendar) and, unless the
 * organisation has its own site, every page of the website, from the public events; writes the
 * files that changed to the bucket. Returns how many it wrote. Idempotent.
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
  if (deps.config.publishesSite) {
    const now = (deps.now ?? (() => new Date()))();
    files.push(...planSiteFiles({ events, series, site: siteContextFor(deps.config), now }));
  }
  return deps.store.putFeeds(files);
};
