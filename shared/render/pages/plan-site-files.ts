/**
 * Every page of the public website from a list of events, in one call: the listings (past ones
 * paged by number), the event pages (one per translation), series pages, subscribe pages, 404
 * pages, robots.txt and one sitemap. The publisher no longer uses it: it renders page by page what
 * a change shows in (site-files.ts). Kept as the whole-programme reference the page tests and the
 * bench compare against.
 */
import type { LanguageCode, Series, StoredEvent } from "../../domain/event";
import { eventEndInstant, eventStartInstant } from "../../domain/event-time";
import { isInFeeds } from "../feeds/plan-feed-files";
import type { FeedFile } from "../feeds/types";
import { renderSitemap, robotsTxt, type SitemapEntry } from "./crawlers";
import { isOver } from "./event-facts";
import { eventAlternates, renderEventPage } from "./event-page";
import { listingAlternates, renderListingPage } from "./listing-page";
import { renderNotFoundPage, renderRootNotFoundPage } from "./not-found-page";
import { PAGE_CONTENT_TYPE } from "./page-shell";
import type { ListedEvent } from "./partials/event-list";
import { seriesChoicesIn } from "./partials/subscribe-form";
import { renderSeriesPage } from "./series-page";
import {
  type ListingKind,
  listingUrl,
  pageKey,
  type SiteContext,
  seriesPageUrl,
  subscribePageUrl,
} from "./site";
import { renderSubscribePage } from "./subscribe-page";

export const LISTING_PAGE_SIZE = 20;
/** How many of the latest past events the home page shows under the upcoming ones. */
export const HOME_RECENT_PAST = 5;

/**
 * Browsers revalidate pages every time (a cancellation shows at once, answered by a 304 from the
 * edge); CloudFront keeps them a minute. Crawler files change rarely.
 */
export const CACHE_CONTROL = {
  page: "public, max-age=0, s-maxage=60, must-revalidate",
  crawler: "public, max-age=3600",
} as const;

export interface SitePlanInput {
  events: readonly StoredEvent[];
  series: readonly Series[];
  site: SiteContext;
  /** Decides what is upcoming and what is past. */
  now: Date;
  pageSize?: number;
}

const byStart = (a: StoredEvent, b: StoredEvent) =>
  Date.parse(eventStartInstant(a)) - Date.parse(eventStartInstant(b)) || (a.id < b.id ? -1 : 1);
const byEndNewestFirst = (a: StoredEvent, b: StoredEvent) =>
  Date.parse(eventEndInstant(b)) - Date.parse(eventEndInstant(a)) || (a.id < b.id ? -1 : 1);

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) pages.push(items.slice(start, start + size));
  return pages.length === 0 ? [[]] : pages;
};

export const planSiteFiles = ({
  events,
  series,
  site,
  now,
  pageSize = LISTING_PAGE_SIZE,
}: SitePlanInput): FeedFile[] => {
  const seriesById = new Map(series.map((entry) => [entry.id, entry]));
  const publicEvents = events.filter(isInFeeds);
  const upcoming = publicEvents.filter((event) => !isOver(event, now)).sort(byStart);
  const past = publicEvents.filter((event) => isOver(event, now)).sort(byEndNewestFirst);
  const files: FeedFile[] = [];
  const sitemap: SitemapEntry[] = [];
  const page = (url: string, body: string) =>
    files.push({
      key: pageKey(site, url),
      contentType: PAGE_CONTENT_TYPE,
      body,
      cacheControl: CACHE_CONTROL.page,
    });

  const seriesChoices = (language: LanguageCode) => seriesChoicesIn(series, language, site.defaultLanguage);
  const listed = (event: StoredEvent): ListedEvent => ({ event, series: seriesById.get(event.series) });

  const listings = (kind: ListingKind, ordered: readonly StoredEvent[]) => {
    const pages = chunks(ordered, pageSize);
    pages.forEach((pageEvents, index) => {
      const number = index + 1;
      for (const language of site.languages) {
        const body = renderListingPage({
          site,
          language,
          kind,
          page: number,
          pageCount: pages.length,
          events: pageEvents.map(listed),
          series: seriesChoices(language),
          recentPast:
            kind === "upcoming" && number === 1 ? past.slice(0, HOME_RECENT_PAST).map(listed) : undefined,
        });
        page(listingUrl(site, language, kind, number), body);
        // The site's root is the default language's home; its canonical URL is /{default}/.
        if (kind === "upcoming" && number === 1 && language === site.defaultLanguage)
          page(`${site.siteUrl}/`, body);
      }
      sitemap.push({
        url: listingUrl(site, site.defaultLanguage, kind, number),
        alternates: listingAlternates(site, kind, number),
        xDefault: listingUrl(site, site.defaultLanguage, kind, number),
      });
    });
  };
  listings("upcoming", upcoming);
  listings("past", past);

  for (const event of publicEvents) {
    const alternates = eventAlternates(site, event);
    for (const { language, url } of alternates) {
      page(url, renderEventPage({ site, event, series: seriesById.get(event.series), language, now }));
    }
    const first =
      alternates.find((alternate) => alternate.language === site.defaultLanguage) ?? alternates[0];
    if (first) sitemap.push({ url: first.url, alternates, xDefault: first.url });
  }

  for (const entry of series) {
    const inSeries = (event: StoredEvent) => event.series === entry.id;
    for (const language of site.languages) {
      page(
        seriesPageUrl(site, language, entry.id),
        renderSeriesPage({
          site,
          series: entry,
          language,
          upcoming: upcoming.filter(inSeries),
          past: past.filter(inSeries),
        }),
      );
    }
    sitemap.push({
      url: seriesPageUrl(site, site.defaultLanguage, entry.id),
      alternates: site.languages.map((language) => ({
        language,
        url: seriesPageUrl(site, language, entry.id),
      })),
      xDefault: seriesPageUrl(site, site.defaultLanguage, entry.id),
    });
  }

  for (const language of site.languages) {
    page(
      subscribePageUrl(site, language),
      renderSubscribePage({ site, language, series: seriesChoices(language) }),
    );
    page(`${site.siteUrl}/${encodeURIComponent(language)}/404.html`, renderNotFoundPage({ site, language }));
  }
  page(`${site.siteUrl}/404.html`, renderRootNotFoundPage({ site }));
  sitemap.push({
    url: subscribePageUrl(site, site.defaultLanguage),
    alternates: site.languages.map((language) => ({ language, url: subscribePageUrl(site, language) })),
    xDefault: subscribePageUrl(site, site.defaultLanguage),
  });

  files.push(
    {
      key: "robots.txt",
      contentType: "text/plain; charset=utf-8",
      body: robotsTxt(site),
      cacheControl: CACHE_CONTROL.crawler,
    },
    {
      key: "sitemap.xml",
      contentType: "application/xml; charset=utf-8",
      body: renderSitemap(sitemap),
      cacheControl: CACHE_CONTROL.crawler,
    },
  );
  return files;
};
