/**
 * One family of feed documents (the default feed and one per configured language) for one scope
 * (the whole programme or one series) and one page of it: the subscription document, an RFC 5005
 * archive month, or the calendar. The incremental publisher renders only the families a change
 * touches, from the bounded slice of events each one shows.
 */
import type { LanguageCode, Series, StoredEvent } from "../../domain/event";
import { firstAvailableLanguage } from "../../domain/translations";
import type { CalendarEntry } from "../calendar/calendar";
import { buildFeedItem, toRfc3339 } from "./feed-item";
import { calendarEntryFor, ICALENDAR_CONTENT_TYPE, renderIcalFeed } from "./ical-feed";
import { JSON_FEED_CONTENT_TYPE, renderJsonFeed } from "./json-feed";
import {
  byPublishedAtNewestFirst,
  type FeedConfig,
  feedNaming,
  isInFeeds,
  lastChange,
} from "./plan-feed-files";
import { RSS_CONTENT_TYPE, renderRssFeed } from "./rss-feed";
import type { FeedFile, FeedItem, FeedPaging, FeedUrls } from "./types";

/** Full archives never change: readers and CloudFront may keep them a day. */
export const ARCHIVE_CACHE_CONTROL = "public, max-age=86400";

/** Which document of a scope: its subscription document, one archive month (YYYY-MM), or its calendar. */
export type FeedPage =
  | { kind: "current"; newestArchive?: string }
  | { kind: "archive"; month: string; older?: string; newer?: string; final: boolean }
  | { kind: "calendar" };

type RenderedItem = { item: FeedItem; calendarEntry: CalendarEntry };

/**
 * Renders each (event, language) once, shared by every family and format in one publish. A rebuild
 * keeps one across its turns: an item rendered in this turn or the last is not rendered again.
 */
export class FeedItemRenderer {
  private cache = new Map<string, RenderedItem>();
  private lastTurn = new Map<string, RenderedItem>();
  constructor(
    private readonly config: FeedConfig,
    private readonly seriesById: ReadonlyMap<string, Series>,
  ) {}

  /** Forgets the items of the turn before this one, so memory holds two turns' items at most. */
  nextTurn(): void {
    this.lastTurn = this.cache;
    this.cache = new Map();
  }

  render(event: StoredEvent, language: LanguageCode) {
    const key = `${event.id}\u0000${event.revision}\u0000${language}`;
    let rendered = this.cache.get(key) ?? this.lastTurn.get(key);
    if (rendered) this.cache.set(key, rendered);
    else {
      const item = buildFeedItem(
        event,
        this.seriesById.get(event.series),
        language,
        this.config.siteUrl,
        this.config.defaultLanguage,
      );
      rendered = { item, calendarEntry: calendarEntryFor(event, item, this.config.defaultLanguage) };
      this.cache.set(key, rendered);
    }
    return rendered;
  }
}

export interface FeedFamilyInput {
  config: FeedConfig;
  seriesById: ReadonlyMap<string, Series>;
  /** Absent for the whole programme. */
  seriesId?: string;
  page: FeedPage;
  events: readonly StoredEvent[];
  renderer: FeedItemRenderer;
  /**
   * The language folders to render, beside the all-languages one; every language when absent. A
   * change that shows only in some languages' items leaves the others' files as they are.
   */
  languages?: ReadonlySet<string>;
}

/** The folder of a scope under a language folder (`""` or `"series/{id}/"`). */
export const scopeFolder = (seriesId?: string): string =>
  seriesId ? `series/${encodeURIComponent(seriesId)}/` : "";

/** The folders of a family: the default feed's, then each language's. */
export const familyFolders = (
  config: FeedConfig,
  seriesId?: string,
): { folder: string; language?: LanguageCode }[] => [
  { folder: scopeFolder(seriesId) },
  ...config.languages.map((language) => ({
    folder: `${encodeURIComponent(language)}/${scopeFolder(seriesId)}`,
    language,
  })),
];

const archiveFolder = (month: string) => `archive/${month}/`;

/** Every key a family's page is written to. */
export const familyKeys = (config: FeedConfig, page: FeedPage, seriesId?: string): string[] =>
  familyFolders(config, seriesId).flatMap(({ folder }) =>
    page.kind === "calendar"
      ? [`${folder}events.ics`]
      : page.kind === "current"
        ? [`${folder}feed.xml`, `${folder}feed.json`]
        : [`${folder}${archiveFolder(page.month)}feed.xml`, `${folder}${archiveFolder(page.month)}feed.json`],
  );

export const renderFeedFamily = (input: FeedFamilyInput): FeedFile[] => {
  const { config, page, seriesId } = input;
  const series = seriesId ? input.seriesById.get(seriesId) : undefined;
  const events = input.events.filter(isInFeeds).sort(byPublishedAtNewestFirst);
  const preference = [
    config.defaultLanguage,
    ...config.languages.filter((language) => language !== config.defaultLanguage),
  ];
  const since = series ? toRfc3339(series.updatedAt) : undefined;
  // A feed with no items (a language without events) is dated by the family's latest publication,
  // never by the render nor by edits in other languages, so it keeps its bytes.
  const emptyDate = new Date(
    events.reduce(
      (latest, event) => Math.max(latest, Date.parse(event.publishedAt ?? event.updatedAt) || 0),
      0,
    ),
  );
  const urls = (folder: string, month?: string): FeedUrls => {
    const base = `${config.publicUrl}/${folder}${month ? archiveFolder(month) : ""}`;
    return { rss: `${base}feed.xml`, json: `${base}feed.json` };
  };

  const folders = familyFolders(config, seriesId).filter(
    ({ language }) => !language || !input.languages || input.languages.has(language),
  );
  return folders.flatMap(({ folder, language }) => {
    const rendered = events.flatMap((event) => {
      const itemLanguage = language
        ? event.translations[language] !== undefined
          ? language
          : undefined
        : firstAvailableLanguage(event.translations, preference);
      return itemLanguage ? [input.renderer.render(event, itemLanguage)] : [];
    });
    const items = rendered.map(({ item }) => item);
    const current = urls(folder);
    const own = page.kind === "archive" ? urls(folder, page.month) : current;
    const paging: FeedPaging | undefined =
      page.kind === "current"
        ? page.newestArchive
          ? { archive: false, current, previous: urls(folder, page.newestArchive) }
          : undefined
        : page.kind === "archive"
          ? {
              archive: true,
              current,
              previous: page.older ? urls(folder, page.older) : undefined,
              next: page.newer ? urls(folder, page.newer) : undefined,
            }
          : undefined;
    const document = {
      language: language ?? config.defaultLanguage,
      ...feedNaming(config, language, series),
      homePageUrl: config.siteUrl,
      rssUrl: own.rss,
      jsonUrl: own.json,
      calendarUrl: `${config.publicUrl}/${folder}events.ics`,
      lastBuildDate: lastChange(items, input.seriesById as Map<string, Series>, emptyDate, since),
      items,
      paging,
    };
    if (page.kind === "calendar") {
      return [
        {
          key: `${folder}events.ics`,
          contentType: ICALENDAR_CONTENT_TYPE,
          body: renderIcalFeed(
            document,
            rendered.map(({ calendarEntry }) => calendarEntry),
          ),
        },
      ];
    }
    const at = page.kind === "archive" ? `${folder}${archiveFolder(page.month)}` : folder;
    const cacheControl = page.kind === "archive" && page.final ? ARCHIVE_CACHE_CONTROL : undefined;
    return [
      { key: `${at}feed.xml`, contentType: RSS_CONTENT_TYPE, body: renderRssFeed(document), cacheControl },
      {
        key: `${at}feed.json`,
        contentType: JSON_FEED_CONTENT_TYPE,
        body: renderJsonFeed(document),
        cacheControl,
      },
    ];
  });
};
