/** A listing of events: title, when, where, series and a cancelled mark for each. */
import type { LanguageCode, Series, StoredEvent } from "../../../domain/event";
import { eventTextFor } from "../../../domain/event-text";
import { seriesTextIn } from "../../../domain/translations";
import { formatEventWhen } from "../../event-when";
import { textDirection } from "../../mail/text-direction";
import { venueLine } from "../../people-places";
import { siteMessagesFor } from "../messages";
import { eventPageUrl, type SiteContext, seriesPageUrl } from "../site";
import { Line } from "./text-line";

/** An event as a listing shows it, with its series (for the series' name and link). */
export interface ListedEvent {
  event: StoredEvent;
  series?: Series;
}

interface EntryProps {
  site: SiteContext;
  language: LanguageCode;
  item: ListedEvent;
  headingLevel: 2 | 3;
}

const EventEntry = ({ site, language, item, headingLevel }: EntryProps) => {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const { event, series } = item;
  const messages = siteMessagesFor(language);
  const text = eventTextFor(event, language, site.defaultLanguage);
  const seriesText = series ? seriesTextIn(series, language, [site.defaultLanguage]) : undefined;
  const seriesName = seriesText?.name;
  const seriesLanguage = seriesText?.nameLanguage;
  const where =
    event.location.type === "online" ? (
      messages.online
    ) : (
      <Line line={venueLine(event.location, { language, defaultLanguage: site.defaultLanguage })} />
    );
  return (
    <li>
      <Heading>
        {event.status === "cancelled" && (
          <>
            <span class="badge">{messages.cancelled}</span>{" "}
          </>
        )}
        <a
          href={eventPageUrl(site.siteUrl, text.language, event.slug)}
          lang={text.language}
          hreflang={text.language}
        >
          {text.title}
        </a>
      </Heading>
      <p class="meta">
        {formatEventWhen(event, language)} · {where}
        {series && seriesName && (
          <>
            {" · "}
            <a
              href={seriesPageUrl(site, language, series.id)}
              {...(seriesLanguage && seriesLanguage !== language
                ? { lang: seriesLanguage, dir: textDirection(seriesLanguage) }
                : {})}
            >
              {seriesName}
            </a>
          </>
        )}
      </p>
    </li>
  );
};

export const EventList = ({
  site,
  language,
  events,
  empty,
  headingLevel = 3,
}: {
  site: SiteContext;
  language: LanguageCode;
  events: readonly ListedEvent[];
  empty: string;
  /** The level of each entry's title: one below the heading the list stands under. */
  headingLevel?: 2 | 3;
}) =>
  events.length === 0 ? (
    <p>{empty}</p>
  ) : (
    <ul class="events">
      {events.map((item) => (
        <EventEntry
          key={item.event.id}
          site={site}
          language={language}
          item={item}
          headingLevel={headingLevel}
        />
      ))}
    </ul>
  );
