/**
 * The base layout of every page (Hugo's baseof, Eleventy's base layout): head, site header with
 * navigation and language switch, the page's content, footer with the language's feeds.
 */
import type { ComponentChildren, VNode } from "preact";
import { render } from "preact-render-to-string";
import type { LanguageCode } from "../../domain/event";
import { languageName, programmeTextIn } from "../i18n";
import { interfaceLanguageFor } from "../mail/messages";
import { singleLine } from "../mail/plain-text";
import { textDirection } from "../mail/text-direction";
import { siteMessagesFor } from "./messages";
import { JsonLd, PageScript, PageStyle } from "./raw";
import { feedUrls, homeUrl, listingUrl, type SiteContext, subscribePageUrl } from "./site";

/** One language version of the page: an hreflang alternate and an entry of the language switch. */
export interface Alternate {
  language: LanguageCode;
  url: string;
}

export interface OpenGraph {
  type: "website" | "article";
  title: string;
  description?: string;
  url: string;
}

export interface LayoutProps {
  /** The programme; absent for a bare page (the API's pages when eventcast publishes no site). */
  site?: SiteContext;
  language: LanguageCode;
  /** Plain text, for <title>. */
  title: string;
  description?: string;
  canonical?: string;
  /** Every language the page exists in (this one included): hreflang links and the language switch. */
  alternates?: Alternate[];
  xDefault?: string;
  /** Feeds to announce with <link rel="alternate">: the language's, or a series'. */
  feeds?: ReturnType<typeof feedUrls>;
  openGraph?: OpenGraph;
  jsonLd?: unknown;
  /** rel=prev / rel=next of a paginated listing. */
  previous?: string;
  next?: string;
  /** Pages that are answers or carry tokens: not indexed, and (with tokens) no referrer. */
  noindex?: boolean;
  noReferrer?: boolean;
  /** Adds the enhancement script (the reader's own time, copy link). */
  script?: boolean;
  narrow?: boolean;
  children: ComponentChildren;
}

const LanguageSwitch = ({ current, alternates }: { current: LanguageCode; alternates: Alternate[] }) => (
  <nav class="languages" aria-label={siteMessagesFor(current).language}>
    <ul>
      {alternates.map(({ language, url }) => (
        <li key={language}>
          <a
            href={url}
            hreflang={language}
            lang={language}
            aria-current={language === current ? "page" : undefined}
          >
            {languageName(language)}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

const SiteNavigation = ({
  site,
  title,
  language,
}: {
  site: SiteContext;
  title: string;
  language: LanguageCode;
}) => {
  const messages = siteMessagesFor(language);
  return (
    <>
      <a class="site-title" href={homeUrl(site, language)}>
        {title}
      </a>
      <nav aria-label={messages.mainNavigation}>
        <ul>
          <li>
            <a href={listingUrl(site, language, "upcoming")}>{messages.upcomingEvents}</a>
          </li>
          <li>
            <a href={listingUrl(site, language, "past")}>{messages.pastEvents}</a>
          </li>
          <li>
            <a href={subscribePageUrl(site, language)}>{messages.subscribe}</a>
          </li>
        </ul>
      </nav>
    </>
  );
};

/** Links to the feeds and calendars of the page's language (and series, on a series page). */
export const FeedLinks = ({
  language,
  feeds,
}: {
  language: LanguageCode;
  feeds: ReturnType<typeof feedUrls>;
}) => {
  const messages = siteMessagesFor(language);
  return (
    <ul>
      <li>
        <a href={feeds.rss} type="application/rss+xml">
          {messages.rssFeed}
        </a>
      </li>
      <li>
        <a href={feeds.json} type="application/feed+json">
          {messages.jsonFeed}
        </a>
      </li>
      <li>
        <a href={feeds.calendar} type="text/calendar">
          {messages.icsCalendar}
        </a>
      </li>
      <li>
        <a href={feeds.webcal}>{messages.subscribeInCalendar}</a>
      </li>
    </ul>
  );
};

export const Layout = (props: LayoutProps) => {
  const language = interfaceLanguageFor(props.language);
  const { site } = props;
  const messages = siteMessagesFor(language);
  const title = singleLine(props.title);
  // The operator's text is by content language: a configured language without a dictionary has its own.
  const siteTitle = site ? singleLine(programmeTextIn(site, props.language).title) : undefined;
  const fullTitle = siteTitle && title !== siteTitle ? `${title} — ${siteTitle}` : title;
  const description = props.description ? singleLine(props.description) : undefined;
  const footerFeeds = site ? feedUrls(site, language) : undefined;
  return (
    <html lang={language} dir={textDirection(language)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.noindex && <meta name="robots" content="noindex" />}
        {props.noReferrer && <meta name="referrer" content="no-referrer" />}
        <title>{fullTitle}</title>
        {description && <meta name="description" content={description} />}
        {props.canonical && <link rel="canonical" href={props.canonical} />}
        {props.alternates?.map(({ language: code, url }) => (
          <link key={code} rel="alternate" hreflang={code} href={url} />
        ))}
        {props.xDefault && <link rel="alternate" hreflang="x-default" href={props.xDefault} />}
        {props.previous && <link rel="prev" href={props.previous} />}
        {props.next && <link rel="next" href={props.next} />}
        {props.feeds && (
          <>
            <link
              rel="alternate"
              type="application/rss+xml"
              title={messages.rssFeed}
              href={props.feeds.rss}
            />
            <link
              rel="alternate"
              type="application/feed+json"
              title={messages.jsonFeed}
              href={props.feeds.json}
            />
            <link
              rel="alternate"
              type="text/calendar"
              title={messages.icsCalendar}
              href={props.feeds.calendar}
            />
          </>
        )}
        {props.openGraph && (
          <>
            <meta property="og:type" content={props.openGraph.type} />
            <meta property="og:title" content={singleLine(props.openGraph.title)} />
            {props.openGraph.description && (
              <meta property="og:description" content={singleLine(props.openGraph.description)} />
            )}
            <meta property="og:url" content={props.openGraph.url} />
            <meta property="og:locale" content={language} />
            {siteTitle && <meta property="og:site_name" content={siteTitle} />}
            <meta name="twitter:card" content="summary" />
            <meta name="twitter:title" content={singleLine(props.openGraph.title)} />
            {props.openGraph.description && (
              <meta name="twitter:description" content={singleLine(props.openGraph.description)} />
            )}
          </>
        )}
        <PageStyle />
        {props.jsonLd !== undefined && <JsonLd data={props.jsonLd} />}
      </head>
      <body>
        <a class="skip" href="#main">
          {messages.skipToContent}
        </a>
        <header class="site-header">
          {site && siteTitle !== undefined && (
            <SiteNavigation site={site} title={siteTitle} language={language} />
          )}
          {props.alternates && props.alternates.length > 1 && (
            <LanguageSwitch current={language} alternates={props.alternates} />
          )}
        </header>
        <main id="main" class={props.narrow ? "narrow" : undefined}>
          {props.children}
        </main>
        {site && footerFeeds && (
          <footer class="site-footer">
            <h2>{messages.feeds}</h2>
            <FeedLinks language={language} feeds={footerFeeds} />
          </footer>
        )}
        {props.script && <PageScript />}
      </body>
    </html>
  );
};

/** A complete HTML document. */
export const renderDocument = (page: VNode): string => `<!DOCTYPE html>\n${render(page)}\n`;
