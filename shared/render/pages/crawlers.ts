/** robots.txt and sitemap.xml (with hreflang alternates), for search engines. */
import { escapeHtml } from "../feeds/html";
import type { Alternate } from "./layout";
import type { SiteContext } from "./site";

export const robotsTxt = (site: SiteContext): string =>
  ["User-agent: *", "Allow: /", "Disallow: /api/", `Sitemap: ${site.siteUrl}/sitemap.xml`, ""].join("\n");

/** One page of the sitemap with its language versions (itself included) and, optionally, its x-default. */
export interface SitemapEntry {
  url: string;
  alternates: readonly Alternate[];
  xDefault?: string;
}

const link = (hreflang: string, href: string) =>
  `<xhtml:link rel="alternate" hreflang="${escapeHtml(hreflang)}" href="${escapeHtml(href)}"/>`;

/** A sitemap (at most 50,000 URLs, the protocol's limit per file). */
export const renderSitemap = (entries: readonly SitemapEntry[]): string => {
  if (entries.length > 50_000) throw new Error("A sitemap holds at most 50,000 URLs; split it into an index");
  const urls = entries.map((entry) =>
    [
      "<url>",
      `<loc>${escapeHtml(entry.url)}</loc>`,
      ...(entry.alternates.length > 1
        ? entry.alternates.map((alternate) => link(alternate.language, alternate.url))
        : []),
      ...(entry.alternates.length > 1 && entry.xDefault ? [link("x-default", entry.xDefault)] : []),
      "</url>",
    ].join(""),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ...urls,
    "</urlset>",
    "",
  ].join("\n");
};
