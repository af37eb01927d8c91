/** Feed rendering: pure functions from stored events to the files the feed bucket serves. */
export { renderEventContentHtml } from "./event-content-html";
export { buildFeedItem, CANCELLED_CATEGORY, eventPageUrl } from "./feed-item";
export { calendarEntryFor, ICALENDAR_CONTENT_TYPE, renderIcalFeed } from "./ical-feed";
export {
  JSON_FEED_CONTENT_TYPE,
  JSON_FEED_VERSION,
  type JsonFeed,
  type JsonFeedItem,
  renderJsonFeed,
  toJsonFeed,
} from "./json-feed";
export {
  buildFeedDocuments,
  type FeedConfig,
  type FeedPlanInput,
  isInFeeds,
  type PlannedFeed,
  planFeedFiles,
} from "./plan-feed-files";
export { RSS_CONTENT_TYPE, renderRssFeed } from "./rss-feed";
export type { EventExtension, FeedDocument, FeedFile, FeedItem } from "./types";
