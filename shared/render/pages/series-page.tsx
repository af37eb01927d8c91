/** A series page, `/{lang}/series/{id}/`: its name and description, its events and its own feeds. */
import type { LanguageCode, Series, StoredEvent } from "../../domain/event";
import { seriesTextIn } from "../../domain/translations";
import { FeedLinks, Layout, renderDocument } from "./layout";
import { siteMessagesFor } from "./messages";
import { EventList } from "./partials/event-list";
import { feedUrls, type SiteContext, seriesPageUrl } from "./site";

export interface SeriesPageInput {
  site: SiteContext;
  series: Series;
  language: LanguageCode;
  /** Soonest first. */
  upcoming: readonly StoredEvent[];
  /** Most recent first. */
  past: readonly StoredEvent[];
}

export const renderSeriesPage = ({ site, series, language, upcoming, past }: SeriesPageInput): string => {
  const messages = siteMessagesFor(language);
  const text = seriesTextIn(series, language, [site.defaultLanguage]);
  const name = text.name ?? series.id;
  const url = seriesPageUrl(site, language, series.id);
  const feeds = feedUrls(site, language, series.id);
  const listed = (events: readonly StoredEvent[]) => events.map((event) => ({ event, series }));
  return renderDocument(
    <Layout
      site={site}
      language={language}
      title={name}
      description={text.description}
      canonical={url}
      alternates={site.languages.map((code) => ({
        language: code,
        url: seriesPageUrl(site, code, series.id),
      }))}
      xDefault={seriesPageUrl(site, site.defaultLanguage, series.id)}
      feeds={feeds}
      openGraph={{ type: "website", title: name, description: text.description, url }}
    >
      <h1>{name}</h1>
      {text.description && <p>{text.description}</p>}
      <h2>{messages.upcomingEvents}</h2>
      <EventList
        site={site}
        language={language}
        events={listed(upcoming)}
        empty={messages.noUpcomingEvents}
      />
      <h2>{messages.pastEvents}</h2>
      <EventList site={site} language={language} events={listed(past)} empty={messages.noPastEvents} />
      <h2>{messages.feeds}</h2>
      <FeedLinks language={language} feeds={feeds} />
    </Layout>,
  );
};
