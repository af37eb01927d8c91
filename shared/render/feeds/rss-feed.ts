import RSS from "rss";
import type { FeedDocument, FeedPaging } from "./types";

export const RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8";

// Characters XML 1.0 forbids even escaped (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates).
const XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text the XML writer can carry: input validation rejects control characters, this guards the rest. */
const xmlText = (text: string): string => text.replace(XML_FORBIDDEN, "");

/** RFC 822 date with a four-digit year, as RSS 2.0 wants (`Mon, 14 Dec 2020 09:00:00 GMT`). */
const rfc822 = (iso: string): string => new Date(iso).toUTCString();

/**
 * The rss package always stamps lastBuildDate with the current time; put the feed's own date there
 * instead so that an unchanged feed renders to the same bytes (and keeps its ETag).
 */
const setLastBuildDate = (xml: string, iso: string): string =>
  xml.replace(
    /(<\/generator>)<lastBuildDate>[^<]*<\/lastBuildDate>/,
    `$1<lastBuildDate>${rfc822(iso)}</lastBuildDate>`,
  );

const atomLink = (rel: string, href: string) => ({
  "atom:link": { _attr: { rel, href, type: "application/rss+xml" } },
});

/** RFC 5005 (Feed Paging and Archiving): `fh:archive` marks an archive; links chain the documents. */
const pagingElements = (paging: FeedPaging) => ({
  custom_namespaces: { fh: "http://purl.org/syndication/history/1.0" },
  custom_elements: [
    ...(paging.archive ? [{ "fh:archive": "" }, atomLink("current", paging.current.rss)] : []),
    ...(paging.previous ? [atomLink("prev-archive", paging.previous.rss)] : []),
    ...(paging.next ? [atomLink("next-archive", paging.next.rss)] : []),
  ],
});

/**
 * RSS 2.0 for a feed document. The rss package wraps text in CDATA and splits any `]]>` inside it;
 * guids are event ids (isPermaLink="false"), pubDate is the announcement time.
 */
export const renderRssFeed = (feed: FeedDocument): string => {
  const rss = new RSS({
    title: xmlText(feed.title),
    description: xmlText(feed.description),
    site_url: feed.homePageUrl,
    feed_url: feed.rssUrl,
    language: feed.language,
    generator: "eventcast",
    ...(feed.paging ? pagingElements(feed.paging) : {}),
  });
  for (const item of feed.items) {
    rss.item({
      title: xmlText(item.title),
      description: xmlText(item.contentHtml),
      url: item.url,
      guid: item.id,
      date: item.publishedAt,
      categories: item.categories.map(xmlText),
      // The default feed mixes languages when it falls back; say which one each item is in.
      custom_elements: [{ "dc:language": item.language }],
    });
  }
  return setLastBuildDate(rss.xml(), feed.lastBuildDate);
};
