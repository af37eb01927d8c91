import type { EventLocation, EventStatus, LanguageCode, Person, Venue } from "../../domain/event";

/** A person in the item's language (or the one their text fell back to, named by `language`). */
export type PersonFacts = Omit<Person, "translations"> & { language: LanguageCode };

/** Online, or a venue in the item's language (or the one its text fell back to). */
export type LocationFacts =
  | Extract<EventLocation, { type: "online" }>
  | (Omit<Venue, "translations"> & { language: LanguageCode });

/** The machine-readable event carried by each JSON Feed item as `_event`. */
export interface EventExtension {
  status: Exclude<EventStatus, "draft">;
  slug: string;
  /** As the editor wrote them: `YYYY-MM-DD` (all-day, end inclusive) or local `YYYY-MM-DDTHH:mm[:ss]`. */
  start: string;
  end: string;
  allDay: boolean;
  timeZone?: string;
  /** UTC instants (RFC 3339); an all-day event ends at midnight after its last day. */
  startsAt: string;
  endsAt: string;
  location: LocationFacts;
  agendaUrl?: string;
  moderator?: PersonFacts;
  speakers: PersonFacts[];
  series: { id: string; name?: string };
  cancelledAt?: string;
  /** The .ics SEQUENCE of this revision, the same as in every calendar and mail. */
  sequence: number;
  /** The start before the latest move of the published event, as `start` is written (JSON-LD's previousStartDate). */
  previousStart?: string;
}

/** One event in one language, rendered once and shared by every feed and format that lists it. */
export interface FeedItem {
  /** The event id: RSS guid and JSON Feed id, unchanged by edits. */
  id: string;
  /** The event page in the item's language. */
  url: string;
  language: LanguageCode;
  /** The event title, prefixed with the localised marker when the event is cancelled. */
  title: string;
  summary?: string;
  contentHtml: string;
  /** RFC 3339; the announcement time, so RSS-to-email tools date the item correctly. */
  publishedAt: string;
  updatedAt: string;
  categories: string[];
  event: EventExtension;
}

/** Everything a feed says, independent of its format. */
export interface FeedDocument {
  language: LanguageCode;
  title: string;
  description: string;
  homePageUrl: string;
  /** The URLs the feed is served at, each the `self` link of its format. */
  rssUrl: string;
  jsonUrl: string;
  calendarUrl: string;
  /** RFC 3339; when the feed's content last changed. */
  lastBuildDate: string;
  items: FeedItem[];
  /** RFC 5005 paging: set on the subscription document and on its archives. */
  paging?: FeedPaging;
}

/** The RSS and JSON Feed URLs of one feed document. */
export interface FeedUrls {
  rss: string;
  json: string;
}

/**
 * RFC 5005 links: an archive names the subscription document (`current`) and its older and newer
 * archives; the subscription document names its newest archive as `prev-archive`.
 */
export interface FeedPaging {
  archive: boolean;
  current: FeedUrls;
  previous?: FeedUrls;
  next?: FeedUrls;
}

/** A rendered feed, ready to be written to the feed bucket. */
export interface FeedFile {
  key: string;
  contentType: string;
  body: string;
  /** How long readers and CloudFront may keep it; feeds default to a minute. */
  cacheControl?: string;
}
