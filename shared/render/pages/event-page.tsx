/**
 * The event page, `/{lang}/events/{slug}`: everything the programme's own page shows (title, when
 * with its zone, online link or venue, summary and body, moderator, speakers, agenda, series),
 * add-to-calendar and share links, and the data search engines read (JSON-LD, Open Graph,
 * canonical, hreflang to the translations that exist).
 */
import type { LanguageCode, Series, StoredEvent } from "../../domain/event";
import { isAllDay } from "../../domain/event";
import { eventTextFor } from "../../domain/event-text";
import { eventEndInstant, eventStartInstant, eventZone } from "../../domain/event-time";
import { calendarLink } from "../../domain/subscriptions/links";
import { seriesTextIn } from "../../domain/translations";
import { formatEventWhen } from "../event-when";
import { httpUrl } from "../feeds/html";
import { intlLocaleFor } from "../i18n";
import { type LineReader, personLine, venueLine } from "../people-places";
import { googleCalendarUrl, outlookCalendarUrl } from "./calendar-links";
import { isOver, onlineUrl, startOffsetMinutes, venueText } from "./event-facts";
import { eventJsonLd } from "./event-json-ld";
import { type Alternate, Layout, renderDocument } from "./layout";
import { type SiteMessages, siteMessagesFor } from "./messages";
import { Line } from "./partials/text-line";
import { SanitisedBody } from "./raw";
import {
  eventPageUrl,
  feedUrls,
  listingUrl,
  type SiteContext,
  seriesPageUrl,
  subscribePageUrl,
} from "./site";

export interface EventPageInput {
  site: SiteContext;
  event: StoredEvent;
  series?: Series;
  /** A language the event has a translation in. */
  language: LanguageCode;
  /** Decides "this event is over". */
  now: Date;
}

/** The translations that exist, in the configured order: the page's hreflang alternates. */
export const eventAlternates = (site: SiteContext, event: StoredEvent): Alternate[] =>
  site.languages
    .filter((language) => event.translations[language] !== undefined)
    .map((language) => ({ language, url: eventPageUrl(site.siteUrl, language, event.slug) }));

const When = ({
  event,
  language,
  messages,
}: {
  event: StoredEvent;
  language: LanguageCode;
  messages: SiteMessages;
}) =>
  isAllDay(event) ? (
    <p class="when">{formatEventWhen(event, language)}</p>
  ) : (
    // The script adds the reader's own time from these when their zone differs.
    <p
      class="when"
      data-event-zone={eventZone(event)}
      data-offset={startOffsetMinutes(event)}
      data-start={eventStartInstant(event)}
      data-end={eventEndInstant(event)}
      data-locale={intlLocaleFor(language)}
      data-label={messages.yourTime}
    >
      {formatEventWhen(event, language)}
    </p>
  );

const Place = ({
  event,
  reader,
  messages,
}: {
  event: StoredEvent;
  reader: LineReader;
  messages: SiteMessages;
}) => {
  if (event.location.type === "venue") return <Line line={venueLine(event.location, reader)} />;
  const url = onlineUrl(event.location);
  return url ? (
    <>
      {messages.online} — <a href={url}>{url}</a>
    </>
  ) : (
    messages.online
  );
};

const shareLinks = (url: string, title: string, messages: SiteMessages) => {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  return [
    { label: messages.shareByEmail, href: `mailto:?subject=${t}&body=${u}` },
    { label: "Facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { label: "X", href: `https://twitter.com/intent/tweet?url=${u}&text=${t}` },
    { label: "LinkedIn", href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
    { label: "Telegram", href: `https://t.me/share/url?url=${u}&text=${t}` },
    { label: "WhatsApp", href: `https://wa.me/?text=${t}%20${u}` },
  ];
};

export const renderEventPage = ({ site, event, series, language, now }: EventPageInput): string => {
  const messages = siteMessagesFor(language);
  const reader: LineReader = { language, defaultLanguage: site.defaultLanguage };
  const text = eventTextFor(event, language, site.defaultLanguage);
  const translation = event.translations[text.language];
  const url = eventPageUrl(site.siteUrl, text.language, event.slug);
  const alternates = eventAlternates(site, event);
  const xDefault =
    alternates.find((alternate) => alternate.language === site.defaultLanguage)?.url ?? alternates[0]?.url;
  const seriesName = series ? seriesTextIn(series, language, [site.defaultLanguage]).name : undefined;
  const where =
    event.location.type === "venue"
      ? venueText(event.location, language, site.defaultLanguage)
      : (onlineUrl(event.location) ?? messages.online);
  const calendarText = {
    title: text.title,
    details: [text.summary, url].filter(Boolean).join("\n\n"),
    location: where,
  };
  const agendaUrl = httpUrl(event.agendaUrl);
  const cancelled = event.status === "cancelled";
  return renderDocument(
    <Layout
      site={site}
      language={language}
      title={text.title}
      description={text.summary}
      canonical={url}
      alternates={alternates}
      xDefault={xDefault}
      feeds={feedUrls(site, language)}
      openGraph={{ type: "website", title: text.title, description: text.summary, url }}
      jsonLd={eventJsonLd({ site, event, series, language, pageUrl: url })}
      script
    >
      <article lang={text.language === language ? undefined : text.language}>
        {cancelled && <p class="banner cancelled">{messages.cancelledBanner}</p>}
        {!cancelled && isOver(event, now) && (
          <p class="banner over">
            {messages.eventOver}{" "}
            <a href={listingUrl(site, language, "upcoming")}>{messages.seeUpcomingEvents}</a>
          </p>
        )}
        <h1>{text.title}</h1>
        <dl class="facts">
          <dt>{messages.date}</dt>
          <dd>
            <When event={event} language={language} messages={messages} />
          </dd>
          <dt>{messages.place}</dt>
          <dd>
            <Place event={event} reader={reader} messages={messages} />
          </dd>
          {series && seriesName && (
            <>
              <dt>{messages.series}</dt>
              <dd>
                <a href={seriesPageUrl(site, language, series.id)}>{seriesName}</a>
              </dd>
            </>
          )}
          {event.moderator && (
            <>
              <dt>{messages.moderator}</dt>
              <dd>
                <Line line={personLine(event.moderator, reader)} />
              </dd>
            </>
          )}
          {agendaUrl && (
            <>
              <dt>{messages.agenda}</dt>
              <dd>
                <a href={agendaUrl}>{messages.agenda}</a>
              </dd>
            </>
          )}
        </dl>
        {text.summary && <p class="summary">{text.summary}</p>}
        {translation?.body && <SanitisedBody html={translation.body} />}
        {event.speakers.length > 0 && (
          <section aria-labelledby="speakers">
            <h2 id="speakers">{messages.speakers}</h2>
            <ul>
              {event.speakers.map((speaker, index) => (
                <li key={index}>
                  <Line line={personLine(speaker, reader)} emphasiseFirst />
                </li>
              ))}
            </ul>
          </section>
        )}
      </article>
      <section class="calendar-links" aria-labelledby="add-to-calendar">
        <h2 id="add-to-calendar">{messages.addToCalendar}</h2>
        <ul>
          <li>
            <a href={calendarLink(site.publicUrl, event.id, text.language)} type="text/calendar">
              {messages.calendarFile}
            </a>
          </li>
          <li>
            <a href={googleCalendarUrl(event, calendarText)}>{messages.googleCalendar}</a>
          </li>
          <li>
            <a href={outlookCalendarUrl(event, calendarText)}>{messages.outlookCalendar}</a>
          </li>
        </ul>
      </section>
      <section class="share" aria-labelledby="share">
        <h2 id="share">{messages.share}</h2>
        <p>
          <label for="page-link">{messages.pageLink}</label>
          <input
            type="text"
            id="page-link"
            readOnly
            value={url}
            data-copy={messages.copyLink}
            data-copied={messages.linkCopied}
          />
        </p>
        <ul>
          {shareLinks(url, text.title, messages).map((link) => (
            <li key={link.label}>
              <a href={link.href}>{link.label}</a>
            </li>
          ))}
        </ul>
      </section>
      <p class="subscribe-box">
        <a href={subscribePageUrl(site, language)}>{messages.subscribeHeading}</a>
      </p>
    </Layout>,
  );
};
