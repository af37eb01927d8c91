/**
 * Which bucket keys belong to the publisher: the layout it renders the feeds and the site into, now
 * and in its older shapes (`/{lang}/past/{n}/`). A rebuild deletes what it finds there and did not
 * render; anything else in the bucket (a favicon, a search engine's verification file,
 * `.well-known/`) is someone else's and is never touched.
 */
import { LANGUAGE_TAG_SOURCE } from "../domain/event";
import type { FeedConfig } from "./feeds/plan-feed-files";

/** The root's own files: the programme's feeds and calendar, the home page, the 404 page and the crawlers' files. */
const ROOT_FILES = new Set([
  "feed.xml",
  "feed.json",
  "events.ics",
  "index.html",
  "404.html",
  "robots.txt",
  "sitemap.xml",
]);

/** Folders at the root: the programme's feed archives, the series' feeds and the sitemap's parts. */
const ROOT_FOLDERS = ["archive/", "series/", "sitemaps/"];

/** Each configured language's folder, as feed keys spell it (encoded) and as page keys do (decoded). */
const languageFolders = (languages: readonly string[]): string[] => [
  ...new Set(languages.flatMap((language) => [`${encodeURIComponent(language)}/`, `${language}/`])),
];

/**
 * Whether a key is the publisher's to render, and so to delete when a rebuild no longer renders it;
 * `dropped` names languages taken out of LANGUAGES whose folders the operator wants gone.
 */
export const publisherOwns = (
  config: Pick<FeedConfig, "languages">,
  dropped: readonly string[] = [],
): ((key: string) => boolean) => {
  const folders = [...ROOT_FOLDERS, ...languageFolders([...config.languages, ...dropped])];
  return (key) => ROOT_FILES.has(key) || folders.some((folder) => key.startsWith(folder));
};

/** What a language tag looks like ("be", "sr-Latn"): nothing else can be dropped, so no typo deletes "assets/". */
const LANGUAGE_TAG = new RegExp(`^${LANGUAGE_TAG_SOURCE}$`);

/** Why a language's folder cannot be dropped by a rebuild, or undefined when it can. */
export const dropLanguageProblem = (language: string, languages: readonly string[]): string | undefined => {
  if (!LANGUAGE_TAG.test(language)) return `"${language}" is not a language tag such as "be" or "sr-Latn"`;
  if (languages.includes(language)) return `"${language}" is still in LANGUAGES: take it out there first`;
  return undefined;
};

/**
 * The folder a key is in when it is named like a language that `languages` leaves out, else
 * undefined: a rebuild counts such folders' files, and names the ones holding a language feed.
 */
export const unconfiguredLanguageFolderOf = (
  key: string,
  languages: readonly string[],
): string | undefined => {
  const slash = key.indexOf("/");
  if (slash < 0) return undefined;
  const folder = key.slice(0, slash);
  return LANGUAGE_TAG.test(folder) && !languages.includes(folder) ? folder : undefined;
};
