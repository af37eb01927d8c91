/**
 * The listings: a language's home (upcoming events, soonest first, and the subscribe form) with its
 * further pages, and the past events, most recent first, on their own pages.
 */
import type { LanguageCode } from "../../domain/event";
import { programmeTextIn } from "../i18n";
import { type Alternate, Layout, renderDocument } from "./layout";
import { siteMessagesFor } from "./messages";
import { EventList, type ListedEvent } from "./partials/event-list";
import { type PageLinks, Pagination } from "./partials/pagination";
import { type SeriesChoice, SubscribeForm } from "./partials/subscribe-form";
import { feedUrls, type ListingKind, listingUrl, pastMonthUrl, type SiteContext } from "./site";

export interface ListingPageInput {
  site: SiteContext;
  language: LanguageCode;
  kind: ListingKind;
  /** 1-based. */
  page: number;
  pageCount: number;
  /** This page's events, in order. */
  events: readonly ListedEvent[];
  /** For the subscribe form on the home page; names in the page's language. */
  series: readonly SeriesChoice[];
  /** The home page also shows the latest past events, most recent first. */
  recentPast?: readonly ListedEvent[];
  /**
   * Past events page by month (YYYY-MM, when they ended), like feed archives: `month` names this
   * page's (absent on the latest past events), `older` and `newer` the neighbouring months with events.
   */
  month?: string;
  older?: string;
  newer?: string;
}

/** "May 2030" in the page's language. */
const monthName = (month: string, language: LanguageCode): string =>
  new Intl.DateTimeFormat(language, { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

export const listingAlternates = (
  site: SiteContext,
  kind: ListingKind,
  page: number,
  month?: string,
): Alternate[] =>
  site.languages.map((language) => ({
    language,
    url: month ? pastMonthUrl(site, language, month) : listingUrl(site, language, kind, page),
  }));

export const renderListingPage = (input: ListingPageInput): string => {
  const { site, language, kind, page, pageCount } = input;
  const messages = siteMessagesFor(language);
  const { month } = input;
  const url = month ? pastMonthUrl(site, language, month) : listingUrl(site, language, kind, page);
  const byMonth = kind === "past" && (month !== undefined || input.older !== undefined);
  const links: PageLinks = byMonth
    ? {
        page,
        pageCount,
        // The latest past events are no "page 1 of 1": the months before them are pages too.
        label: month ? monthName(month, language) : messages.pastEvents,
        // Most recent first: "previous" is newer, up to the latest past events; "next" is older.
        previous: month
          ? input.newer
            ? pastMonthUrl(site, language, input.newer)
            : listingUrl(site, language, "past")
          : undefined,
        next: input.older ? pastMonthUrl(site, language, input.older) : undefined,
      }
    : {
        page,
        pageCount,
        previous: page > 1 ? listingUrl(site, language, kind, page - 1) : undefined,
        next: page < pageCount ? listingUrl(site, language, kind, page + 1) : undefined,
      };
  const isHome = kind === "upcoming" && page === 1;
  const programme = programmeTextIn(site, language);
  const heading =
    kind === "upcoming"
      ? messages.upcomingEvents
      : month
        ? `${messages.pastEvents}: ${monthName(month, language)}`
        : messages.pastEvents;
  return renderDocument(
    <Layout
      site={site}
      language={language}
      title={isHome ? programme.title : heading}
      description={programme.description}
      canonical={url}
      alternates={listingAlternates(site, kind, page, month)}
      xDefault={
        month
          ? pastMonthUrl(site, site.defaultLanguage, month)
          : listingUrl(site, site.defaultLanguage, kind, page)
      }
      feeds={feedUrls(site, language)}
      openGraph={{
        type: "website",
        title: isHome ? programme.title : heading,
        description: programme.description,
        url,
      }}
      previous={links.previous}
      next={links.next}
    >
      {isHome ? (
        <>
          <h1>{programme.title}</h1>
          <p>{programme.description}</p>
          <h2>{messages.upcomingEvents}</h2>
        </>
      ) : (
        <h1>{heading}</h1>
      )}
      <EventList
        site={site}
        language={language}
        events={input.events}
        empty={kind === "upcoming" ? messages.noUpcomingEvents : messages.noPastEvents}
        headingLevel={isHome ? 3 : 2}
      />
      <Pagination language={language} links={links} />
      {isHome && input.recentPast && input.recentPast.length > 0 && (
        <>
          <h2>{messages.pastEvents}</h2>
          <EventList
            site={site}
            language={language}
            events={input.recentPast}
            empty={messages.noPastEvents}
          />
        </>
      )}
      <p>
        {kind === "upcoming" ? (
          <a href={listingUrl(site, language, "past")}>{messages.seePastEvents}</a>
        ) : (
          <a href={listingUrl(site, language, "upcoming")}>{messages.seeUpcomingEvents}</a>
        )}
      </p>
      {isHome && <SubscribeForm language={language} languages={site.languages} series={input.series} />}
    </Layout>,
  );
};
