/**
 * Which bucket keys belong to the publisher: the layout it renders the feeds and the site into, now
 * and in its older shapes (`/{lang}/past/{n}/`). A rebuild deletes what it finds there and did not
 * render; anything else in the bucket (a favicon, a search engine's verification file,
 * `.well-known/`) is someone else's and is never touched.
 */
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

/** Whether a key is the publisher's to render, and so to delete when a rebuild no longer renders it. */
export const publisherOwns = (config: Pick<FeedConfig, "languages">): ((key: string) => boolean) => {
  const folders = [...ROOT_FOLDERS, ...languageFolders(config.languages)];
  return (key) => ROOT_FILES.has(key) || folders.some((folder) => key.startsWith(folder));
};
