/**
 * The website's files one piece at a time, each from the bounded slice of data it shows: an event's
 * pages, the upcoming listings, the latest past events and one past month, a series page, the pages
 * that only name the series (subscribe, 404), and the sitemap's parts. The incremental publisher
 * renders the pieces a change touches; a rebuild renders them all.
 */
import type { LanguageCode, Series, StoredEvent } from "../../domain/event";
import type { FeedFile } from "../feeds/types";
import { renderSitemap, robotsTxt, type SitemapEntry } from "./crawlers";
import { eventAlternates, renderEventPage } from "./event-page";
import { listingAlternates, renderListingPage } from "./listing-page";
import { renderNotFoundPage, renderRootNotFoundPage } from "./not-found-page";
import { PAGE_CONTENT_TYPE } from "./page-shell";
import type { ListedEvent } from "./partials/event-list";
import { seriesChoicesIn } from "./partials/subscribe-form";
import { CACHE_CONTROL, HOME_RECENT_PAST, LISTING_PAGE_SIZE } from "./plan-site-files";
import { renderSeriesPage } from "./series-page";
import { listingUrl, pageKey, pastMonthUrl, type SiteContext, seriesPageUrl, subscribePageUrl } from "./site";
import { renderSubscribePage } from "./subscribe-page";

const page = (site: SiteContext, url: string, body: string): FeedFile => ({
  key: pageKey(site, url),
  contentType: PAGE_CONTENT_TYPE,
  body,
  cacheControl: CACHE_CONTROL.page,
});

const crawlerFile = (key: string, body: string): FeedFile => ({
  key,
  contentType: key.endsWith(".txt") ? "text/plain; charset=utf-8" : "application/xml; charset=utf-8",
  body,
  cacheControl: CACHE_CONTROL.crawler,
});

const listedWith =
  (seriesById: ReadonlyMap<string, Series>) =>
  (event: StoredEvent): ListedEvent => ({
    event,
    series: seriesById.get(event.series),
  });

/** The bucket keys of an event's pages: one per translation. */
export const eventPageKeys = (
  site: SiteContext,
  event: Pick<StoredEvent, "slug" | "translations">,
): string[] => eventAlternates(site, event as StoredEvent).map(({ url }) => pageKey(site, url));

export const eventPageFiles = (
  site: SiteContext,
  event: StoredEvent,
  series: Series | undefined,
  now: Date,
): FeedFile[] =>
  eventAlternates(site, event).map(({ language, url }) =>
    page(site, url, renderEventPage({ site, event, series, language, now })),
  );

/** The upcoming listings (soonest first, paged; page 1 is each language's home) and the site's root. */
export const upcomingListingFiles = (input: {
  site: SiteContext;
  upcoming: readonly StoredEvent[];
  recentPast: readonly StoredEvent[];
  series: readonly Series[];
  pageSize?: number;
}): FeedFile[] => {
  const { site, pageSize = LISTING_PAGE_SIZE } = input;
  const listed = listedWith(new Map(input.series.map((entry) => [entry.id, entry])));
  const pageCount = Math.max(1, Math.ceil(input.upcoming.length / pageSize));
  const files: FeedFile[] = [];
  for (let number = 1; number <= pageCount; number++) {
    const events = input.upcoming.slice((number - 1) * pageSize, number * pageSize).map(listed);
    for (const language of site.languages) {
      const body = renderListingPage({
        site,
        language,
        kind: "upcoming",
        page: number,
        pageCount,
        events,
        series: seriesChoicesIn(input.series, language, site.defaultLanguage),
        recentPast: number === 1 ? input.recentPast.slice(0, HOME_RECENT_PAST).map(listed) : undefined,
      });
      files.push(page(site, listingUrl(site, language, "upcoming", number), body));
      // The site's root is the default language's home; its canonical URL is /{default}/.
      if (number === 1 && language === site.defaultLanguage) files.push(page(site, `${site.siteUrl}/`, body));
    }
  }
  return files;
};

/** The key of upcoming listing page `number` in each language, to delete pages a shorter programme no longer has. */
export const upcomingPageKeys = (site: SiteContext, number: number): string[] =>
  site.languages.map((language) => pageKey(site, listingUrl(site, language, "upcoming", number)));

/**
 * The latest past events (`month` absent) or one month of them, most recent first; `older` and
 * `newer` are the neighbouring months that have past events.
 */
export const pastListingFiles = (input: {
  site: SiteContext;
  events: readonly StoredEvent[];
  series: readonly Series[];
  month?: string;
  older?: string;
  newer?: string;
}): FeedFile[] => {
  const { site, month } = input;
  const listed = listedWith(new Map(input.series.map((entry) => [entry.id, entry])));
  return site.languages.map((language) =>
    page(
      site,
      month ? pastMonthUrl(site, language, month) : listingUrl(site, language, "past"),
      renderListingPage({
        site,
        language,
        kind: "past",
        page: 1,
        pageCount: 1,
        events: input.events.map(listed),
        series: [],
        month,
        older: input.older,
        newer: input.newer,
      }),
    ),
  );
};

export const seriesPageFiles = (input: {
  site: SiteContext;
  series: Series;
  upcoming: readonly StoredEvent[];
  recentPast: readonly StoredEvent[];
}): FeedFile[] =>
  input.site.languages.map((language) =>
    page(
      input.site,
      seriesPageUrl(input.site, language, input.series.id),
      renderSeriesPage({ ...input, language, past: input.recentPast }),
    ),
  );

/** The pages that show no event: subscribe pages and 404s (they name the series), and robots.txt. */
export const staticSiteFiles = (site: SiteContext, series: readonly Series[]): FeedFile[] => [
  ...site.languages.flatMap((language) => [
    page(
      site,
      subscribePageUrl(site, language),
      renderSubscribePage({
        site,
        language,
        series: seriesChoicesIn(series, language, site.defaultLanguage),
      }),
    ),
    page(
      site,
      `${site.siteUrl}/${encodeURIComponent(language)}/404.html`,
      renderNotFoundPage({ site, language }),
    ),
  ]),
  page(site, `${site.siteUrl}/404.html`, renderRootNotFoundPage({ site })),
  crawlerFile("robots.txt", robotsTxt(site)),
];

const everyLanguage = (site: SiteContext, url: (language: LanguageCode) => string): SitemapEntry => ({
  url: url(site.defaultLanguage),
  alternates: site.languages.map((language) => ({ language, url: url(language) })),
  xDefault: url(site.defaultLanguage),
});

export const SITEMAP_PARTS_FOLDER = "sitemaps/";
export const sitemapPartKey = (month: string): string => `${SITEMAP_PARTS_FOLDER}${month}.xml`;
const SITEMAP_PAGES_KEY = `${SITEMAP_PARTS_FOLDER}pages.xml`;

/** The sitemap part of the pages that are not one event's: listings, series and subscribe pages. */
export const sitemapPagesFile = (
  site: SiteContext,
  series: readonly Series[],
  upcomingPages: number,
): FeedFile =>
  crawlerFile(
    SITEMAP_PAGES_KEY,
    renderSitemap([
      ...Array.from({ length: upcomingPages }, (_, index) => ({
        url: listingUrl(site, site.defaultLanguage, "upcoming", index + 1),
        alternates: listingAlternates(site, "upcoming", index + 1),
        xDefault: listingUrl(site, site.defaultLanguage, "upcoming", index + 1),
      })),
      everyLanguage(site, (language) => listingUrl(site, language, "past")),
      ...series.map((entry) => everyLanguage(site, (language) => seriesPageUrl(site, language, entry.id))),
      everyLanguage(site, (language) => subscribePageUrl(site, language)),
    ]),
  );

/**
 * The sitemap part of one month: the pages of the events first published in it, and its page of
 * past events when it has one.
 */
export const sitemapMonthFile = (
  site: SiteContext,
  month: string,
  published: readonly StoredEvent[],
  hasPastPage: boolean,
): FeedFile =>
  crawlerFile(
    sitemapPartKey(month),
    renderSitemap([
      ...published.flatMap((event) => {
        const alternates = eventAlternates(site, event);
        const first =
          alternates.find((alternate) => alternate.language === site.defaultLanguage) ?? alternates[0];
        return first ? [{ url: first.url, alternates, xDefault: first.url }] : [];
      }),
      ...(hasPastPage ? [everyLanguage(site, (language) => pastMonthUrl(site, language, month))] : []),
    ]),
  );

export const SITEMAP_INDEX_KEY = "sitemap.xml";

/** sitemap.xml: the index of the parts that exist. */
export const sitemapIndexFile = (site: SiteContext, partKeys: readonly string[]): FeedFile =>
  crawlerFile(
    SITEMAP_INDEX_KEY,
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...[...partKeys]
        .sort()
        .map((key) => `<sitemap><loc>${encodeURI(`${site.siteUrl}/${key}`)}</loc></sitemap>`),
      "</sitemapindex>",
      "",
    ].join("\n"),
  );
