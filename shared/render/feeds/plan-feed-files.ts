import type { Config } from "../../config";
import type { LanguageCode, Series, StoredEvent } from "../../domain/event";
import { firstAvailableLanguage, seriesTextIn } from "../../domain/translations";
import type { CalendarEntry } from "../calendar/calendar";
import { languageName, programmeTextIn } from "../i18n";
import { buildFeedItem, toRfc3339 } from "./feed-item";
import { calendarEntryFor, ICALENDAR_CONTENT_TYPE, renderIcalFeed } from "./ical-feed";
import { JSON_FEED_CONTENT_TYPE, renderJsonFeed } from "./json-feed";
import { RSS_CONTENT_TYPE, renderRssFeed } from "./rss-feed";
import type { FeedDocument, FeedFile, FeedItem } from "./types";

export type FeedConfig = Pick<
  Config,
  "publicUrl" | "siteUrl" | "languages" | "defaultLanguage" | "feedTitle" | "feedDescription"
>;

export interface FeedPlanInput {
  /** Newest first by publishedAt; drafts may be present and are left out. */
  events: readonly StoredEvent[];
  /** Every series: each gets its own feeds, even without events. */
  series: readonly Series[];
  config: FeedConfig;
  /** The lastBuildDate of a feed with no items. */
  now: Date;
}

/**
 * A feed and the folder (`""`, `"ka/"`, `"series/{id}/"` or `"ka/series/{id}/"`) its files live in,
 * under the bucket and under PUBLIC_URL.
 */
export interface PlannedFeed {
  folder: string;
  document: FeedDocument;
  /** The calendar entry of each item, in the items' order. */
  calendar: CalendarEntry[];
}

/** One event in one language, in every format. */
interface RenderedEvent {
  item: FeedItem;
  calendarEntry: CalendarEntry;
}

/**
 * Whether an event belongs in the feeds: published ones, and cancelled ones that had been published
 * (a reader saw them, so they stay, marked); drafts and never-published cancellations do not.
 */
export const isInFeeds = (event: StoredEvent): boolean =>
  event.status === "published" || (event.status === "cancelled" && event.publishedAt !== undefined);

export const announcedAt = (event: StoredEvent): number => Date.parse(event.publishedAt ?? event.updatedAt);

// Ties broken by id so that the same events always render to the same bytes.
export const byPublishedAtNewestFirst = (a: StoredEvent, b: StoredEvent): number =>
  announcedAt(b) - announcedAt(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The latest change among the items, their series and `since` (the feed's own text, when it has any);
 * an unchanged feed keeps its date (and its bytes).
 */
export const lastChange = (
  items: FeedItem[],
  seriesById: Map<string, Series>,
  now: Date,
  since = "",
): string => {
  // RFC 3339 UTC strings of one shape (toISOString) compare correctly as text.
  let latest = since;
  for (const item of items) {
    const seriesUpdatedAt = seriesById.get(item.event.series.id)?.updatedAt;
    for (const change of [item.updatedAt, seriesUpdatedAt ? toRfc3339(seriesUpdatedAt) : ""]) {
      if (change > latest) latest = change;
    }
  }
  return latest || now.toISOString();
};

/** A feed's channel text. */
interface FeedNaming {
  title: string;
  description: string;
}

/**
 * A feed's channel text in the feed's language (the default language's for the default feed): a
 * series' name and description, else the programme's; a language folder's programme feed adds the
 * language's name, so it reads apart from the default feed.
 */
export const feedNaming = (config: FeedConfig, language?: LanguageCode, series?: Series): FeedNaming => {
  const programme = programmeTextIn(config, language ?? config.defaultLanguage);
  if (series) {
    const preference = [
      config.defaultLanguage,
      ...config.languages.filter((code) => code !== config.defaultLanguage),
    ];
    const text = seriesTextIn(series, language ?? config.defaultLanguage, preference);
    return { title: text.name ?? programme.title, description: text.description ?? programme.description };
  }
  return {
    title: language ? `${programme.title} — ${languageName(language)}` : programme.title,
    description: programme.description,
  };
};

/**
 * A family of feeds, the default-language one and one per language: the whole programme, or one
 * series. Its events are public and newest first.
 */
interface FeedScope {
  /** Below the language folder: `""` for the whole programme, `"series/{id}/"` for a series. */
  folder: string;
  events: readonly StoredEvent[];
  /** The default feed's naming, then a language feed's. */
  defaultNaming: FeedNaming;
  languageNaming: (language: LanguageCode) => FeedNaming;
  /** RFC 3339; when the scope's own text (a series name) last changed. */
  updatedAt?: string;
}

/**
 * The feed documents: the default feed (every public event, in the default language or else the first
 * configured language it has) and one feed per configured language (only events translated into it;
 * a language without events still gets an empty, valid feed so subscribed readers never see a 404).
 * Each series in `series` gets the same family of feeds under `series/{id}/`, restricted to its
 * events, named after it and built from the same rendered items.
 */
export const buildFeedDocuments = ({ events, series, config, now }: FeedPlanInput): PlannedFeed[] => {
  const seriesById = new Map(series.map((entry) => [entry.id, entry]));
  const publicEvents = events.filter(isInFeeds).sort(byPublishedAtNewestFirst);
  // Rendered once per (event, language), shared by the programme's and the series' feeds and every format.
  const renderedCache = new Map<string, RenderedEvent>();
  const renderedFor = (event: StoredEvent, language: LanguageCode): RenderedEvent => {
    const key = `${event.id}\u0000${language}`;
    let rendered = renderedCache.get(key);
    if (!rendered) {
      const item = buildFeedItem(
        event,
        seriesById.get(event.series),
        language,
        config.siteUrl,
        config.defaultLanguage,
      );
      rendered = { item, calendarEntry: calendarEntryFor(event, item, config.defaultLanguage) };
      renderedCache.set(key, rendered);
    }
    return rendered;
  };

  const defaultFeedPreference = [
    config.defaultLanguage,
    ...config.languages.filter((language) => language !== config.defaultLanguage),
  ];
  const feed = (
    folder: string,
    language: LanguageCode,
    naming: FeedNaming,
    rendered: RenderedEvent[],
    since?: string,
  ): PlannedFeed => {
    const items = rendered.map(({ item }) => item);
    return {
      folder,
      document: {
        language,
        ...naming,
        homePageUrl: config.siteUrl,
        rssUrl: `${config.publicUrl}/${folder}feed.xml`,
        jsonUrl: `${config.publicUrl}/${folder}feed.json`,
        calendarUrl: `${config.publicUrl}/${folder}events.ics`,
        lastBuildDate: lastChange(items, seriesById, now, since),
        items,
      },
      calendar: rendered.map(({ calendarEntry }) => calendarEntry),
    };
  };
  const feedsOf = (scope: FeedScope): PlannedFeed[] => {
    const defaultEvents = scope.events.flatMap((event) => {
      const language = firstAvailableLanguage(event.translations, defaultFeedPreference);
      return language ? [renderedFor(event, language)] : [];
    });
    const languageFeeds = config.languages.map((language) =>
      feed(
        `${encodeURIComponent(language)}/${scope.folder}`,
        language,
        scope.languageNaming(language),
        scope.events
          .filter((event) => event.translations[language] !== undefined)
          .map((event) => renderedFor(event, language)),
        scope.updatedAt,
      ),
    );
    return [
      feed(scope.folder, config.defaultLanguage, scope.defaultNaming, defaultEvents, scope.updatedAt),
      ...languageFeeds,
    ];
  };

  const programme = feedsOf({
    folder: "",
    events: publicEvents,
    defaultNaming: feedNaming(config),
    languageNaming: (language) => feedNaming(config, language),
  });

  const eventsBySeries = new Map<string, StoredEvent[]>();
  for (const event of publicEvents) {
    const seriesEvents = eventsBySeries.get(event.series);
    if (seriesEvents) seriesEvents.push(event);
    else eventsBySeries.set(event.series, [event]);
  }
  const seriesFeeds = [...seriesById.values()].flatMap((entry) =>
    feedsOf({
      folder: `series/${encodeURIComponent(entry.id)}/`,
      events: eventsBySeries.get(entry.id) ?? [],
      defaultNaming: feedNaming(config, undefined, entry),
      languageNaming: (language) => feedNaming(config, language, entry),
      updatedAt: toRfc3339(entry.updatedAt),
    }),
  );
  return [...programme, ...seriesFeeds];
};

/**
 * Every feed file to write: `feed.xml`, `feed.json`, `events.ics` at the root and the same three
 * under `{lang}/` per language; then, for each series, the same under `series/{id}/` and
 * `{lang}/series/{id}/`.
 */
export const planFeedFiles = (input: FeedPlanInput): FeedFile[] =>
  buildFeedDocuments(input).flatMap(({ folder, document, calendar }) => [
    { key: `${folder}feed.xml`, contentType: RSS_CONTENT_TYPE, body: renderRssFeed(document) },
    { key: `${folder}feed.json`, contentType: JSON_FEED_CONTENT_TYPE, body: renderJsonFeed(document) },
    {
      key: `${folder}events.ics`,
      contentType: ICALENDAR_CONTENT_TYPE,
      body: renderIcalFeed(document, calendar),
    },
  ]);
