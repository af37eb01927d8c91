/**
 * The site's shape: what every page needs to know about the programme, and the one place that
 * says at which URL (and so at which bucket key) each page lives.
 */
import type { Config, TextByLanguage } from "../../config";
import type { LanguageCode } from "../../domain/event";

export { eventPageUrl } from "../feeds/feed-item";

export interface SiteContext {
  /** Base of every page link (SITE_URL). */
  siteUrl: string;
  /** Base of the feeds and the API (PUBLIC_URL). */
  publicUrl: string;
  languages: readonly LanguageCode[];
  defaultLanguage: LanguageCode;
  /** The programme's name in page headers and titles, and its description: read them with `programmeTextIn`. */
  feedTitle?: TextByLanguage;
  feedDescription?: TextByLanguage;
  organisationName: string;
}

export const siteContextFor = (
  config: Pick<
    Config,
    | "siteUrl"
    | "publicUrl"
    | "languages"
    | "defaultLanguage"
    | "feedTitle"
    | "feedDescription"
    | "organisationName"
  >,
): SiteContext => ({
  siteUrl: config.siteUrl,
  publicUrl: config.publicUrl,
  languages: config.languages,
  defaultLanguage: config.defaultLanguage,
  feedTitle: config.feedTitle,
  feedDescription: config.feedDescription,
  organisationName: config.organisationName,
});

export type ListingKind = "upcoming" | "past";

const lang = (language: LanguageCode) => encodeURIComponent(language);

/** The home page of a language. */
export const homeUrl = (site: SiteContext, language: LanguageCode): string =>
  `${site.siteUrl}/${lang(language)}/`;

/** Page 1 of upcoming events is the language's home; further pages and the past have stable folders. */
export const listingUrl = (
  site: SiteContext,
  language: LanguageCode,
  kind: ListingKind,
  page = 1,
): string => {
  const folder = kind === "upcoming" ? "" : "past/";
  if (page <= 1) return `${site.siteUrl}/${lang(language)}/${folder}`;
  return `${site.siteUrl}/${lang(language)}/${folder}${kind === "upcoming" ? "page/" : ""}${page}/`;
};

/** A month (YYYY-MM) of past events, by when they ended: a stable URL whose page changes only when its events do. */
export const pastMonthUrl = (site: SiteContext, language: LanguageCode, month: string): string =>
  `${site.siteUrl}/${lang(language)}/past/${month}/`;

export const seriesPageUrl = (site: SiteContext, language: LanguageCode, seriesId: string): string =>
  `${site.siteUrl}/${lang(language)}/series/${encodeURIComponent(seriesId)}/`;

export const subscribePageUrl = (site: SiteContext, language: LanguageCode): string =>
  `${site.siteUrl}/${lang(language)}/subscribe/`;

/** Where the subscribe form posts: the public API, on this origin. */
export const SUBSCRIBE_FORM_PATH = "/api/subscriptions/form";

/** The feeds of a language, of the whole programme or of one series (as plan-feed-files writes them). */
export const feedUrls = (site: SiteContext, language: LanguageCode, seriesId?: string) => {
  const folder = `${site.publicUrl}/${lang(language)}/${seriesId ? `series/${encodeURIComponent(seriesId)}/` : ""}`;
  const calendar = `${folder}events.ics`;
  return {
    rss: `${folder}feed.xml`,
    json: `${folder}feed.json`,
    calendar,
    webcal: calendar.replace(/^https?:/, "webcal:"),
  };
};

/** The bucket key a page URL is served from: folders end in index.html, as the directory index maps them. */
export const pageKey = (site: SiteContext, url: string): string => {
  if (!url.startsWith(`${site.siteUrl}/`)) throw new Error(`${url} is not a page of ${site.siteUrl}`);
  const path = decodeURIComponent(url.slice(site.siteUrl.length + 1));
  return path === "" || path.endsWith("/") ? `${path}index.html` : path;
};
