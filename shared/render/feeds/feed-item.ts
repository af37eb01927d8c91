import {
  type EventLocation,
  isAllDay,
  type LanguageCode,
  type Person,
  type Series,
  type StoredEvent,
} from "../../domain/event";
import { personTextFor, venueTextFor } from "../../domain/event-text";
import { eventEndInstant, eventStartInstant } from "../../domain/event-time";
import { eventTranslation, seriesName } from "../../domain/translations";
import { messagesFor } from "../i18n";
import { renderEventContentHtml } from "./event-content-html";
import type { EventExtension, FeedItem, LocationFacts, PersonFacts } from "./types";

/** The category every cancelled item carries, in every language, so readers can filter on it. */
export const CANCELLED_CATEGORY = "cancelled";

/** Any ISO 8601 timestamp as RFC 3339 UTC (`2020-12-01T09:00:00.000Z`); throws on a value that is not a date. */
export const toRfc3339 = (value: string): string => new Date(value).toISOString();

/** The event page on the organisation's site, in a language. */
export const eventPageUrl = (siteUrl: string, language: LanguageCode, slug: string): string =>
  `${siteUrl}/${encodeURIComponent(language)}/events/${encodeURIComponent(slug)}`;

const personFacts = (person: Person, language: LanguageCode, defaultLanguage: LanguageCode): PersonFacts => ({
  ...personTextFor(person, language, defaultLanguage),
  country: person.country,
});

const locationFacts = (
  location: EventLocation,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): LocationFacts =>
  location.type === "online"
    ? location
    : { type: "venue", ...venueTextFor(location, language, defaultLanguage), country: location.country };

const eventExtension = (
  event: StoredEvent,
  series: Series | undefined,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): EventExtension => ({
  status: event.status === "cancelled" ? "cancelled" : "published",
  slug: event.slug,
  start: event.start,
  end: event.end,
  allDay: isAllDay(event),
  timeZone: event.timeZone,
  startsAt: eventStartInstant(event),
  endsAt: eventEndInstant(event),
  location: locationFacts(event.location, language, defaultLanguage),
  agendaUrl: event.agendaUrl,
  moderator: event.moderator && personFacts(event.moderator, language, defaultLanguage),
  speakers: event.speakers.map((speaker) => personFacts(speaker, language, defaultLanguage)),
  series: { id: event.series, name: seriesName(series, language, defaultLanguage) },
  cancelledAt: event.cancelledAt && toRfc3339(event.cancelledAt),
  sequence: event.revision,
  ...(event.previousStart && event.previousStart !== event.start
    ? { previousStart: event.previousStart }
    : {}),
});

/** One public event as a feed item in one language (which the event should have a translation in). */
export const buildFeedItem = (
  event: StoredEvent,
  series: Series | undefined,
  language: LanguageCode,
  siteUrl: string,
  defaultLanguage: LanguageCode,
): FeedItem => {
  const translation = eventTranslation(event, language, defaultLanguage);
  const cancelled = event.status === "cancelled";
  const title = translation?.title ?? event.slug;
  const seriesTitle = seriesName(series, language, defaultLanguage);
  return {
    id: event.id,
    url: eventPageUrl(siteUrl, language, event.slug),
    language,
    title: cancelled ? `${messagesFor(language).cancelled}: ${title}` : title,
    summary: translation?.summary,
    contentHtml: renderEventContentHtml(event, series, language, defaultLanguage),
    // publishedAt is set at first publication; updatedAt only guards a row that somehow lacks it.
    publishedAt: toRfc3339(event.publishedAt ?? event.updatedAt),
    updatedAt: toRfc3339(event.updatedAt),
    categories: [...(seriesTitle ? [seriesTitle] : []), ...(cancelled ? [CANCELLED_CATEGORY] : [])],
    event: eventExtension(event, series, language, defaultLanguage),
  };
};
