import type { LanguageCode } from "../../domain/event";
import type { EventExtension, FeedDocument } from "./types";

export const JSON_FEED_CONTENT_TYPE = "application/feed+json; charset=utf-8";
export const JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1";

/** A JSON Feed 1.1 item (https://www.jsonfeed.org/version/1.1/), with our `_event` extension. */
export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  date_published: string;
  date_modified: string;
  tags: string[];
  language: LanguageCode;
  _event: EventExtension;
}

/** A JSON Feed 1.1 document, the members we write. */
export interface JsonFeed {
  version: typeof JSON_FEED_VERSION;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: LanguageCode;
  /** The older items (JSON Feed 1.1 pagination): the newest archive, or the archive before this one. */
  next_url?: string;
  items: JsonFeedItem[];
}

/** The JSON Feed 1.1 object for a feed document. */
export const toJsonFeed = (feed: FeedDocument): JsonFeed => ({
  version: JSON_FEED_VERSION,
  title: feed.title,
  home_page_url: feed.homePageUrl,
  feed_url: feed.jsonUrl,
  description: feed.description,
  language: feed.language,
  ...(feed.paging?.previous ? { next_url: feed.paging.previous.json } : {}),
  items: feed.items.map((item) => ({
    id: item.id,
    url: item.url,
    title: item.title,
    content_html: item.contentHtml,
    summary: item.summary,
    date_published: item.publishedAt,
    date_modified: item.updatedAt,
    tags: item.categories,
    language: item.language,
    _event: item.event,
  })),
});

/** JSON Feed 1.1 text for a feed document (JSON.stringify escapes every string). */
export const renderJsonFeed = (feed: FeedDocument): string => JSON.stringify(toJsonFeed(feed));
