/**
 * schema.org Event structured data for an event page, with Google's required properties (name,
 * startDate, location) and the recommended ones we have (description, endDate, eventStatus,
 * eventAttendanceMode, organizer, performer). Pure data: the page's JsonLd insert escapes it.
 */
import type { LanguageCode, Series, StoredEvent } from "../../domain/event";
import { eventTextFor, personTextFor, venueTextFor } from "../../domain/event-text";
import { seriesTextIn } from "../../domain/translations";
import { singleLine } from "../mail/plain-text";
import { isoWithOffset, onlineUrl, venueText } from "./event-facts";
import type { SiteContext } from "./site";

const SCHEMA = "https://schema.org/";

const eventStatus = (event: StoredEvent) => {
  if (event.status === "cancelled") return `${SCHEMA}EventCancelled`;
  if (event.previousStart && event.previousStart !== event.start) return `${SCHEMA}EventRescheduled`;
  return `${SCHEMA}EventScheduled`;
};

const location = (
  event: StoredEvent,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
  pageUrl: string,
) => {
  const place = event.location;
  if (place.type === "online") return { "@type": "VirtualLocation", url: onlineUrl(place) ?? pageUrl };
  const text = venueTextFor(place, language, defaultLanguage);
  return {
    "@type": "Place",
    name: singleLine(text.name),
    address: {
      "@type": "PostalAddress",
      ...(text.address ? { streetAddress: singleLine(text.address) } : {}),
      ...(text.city ? { addressLocality: singleLine(text.city) } : {}),
      ...(place.country ? { addressCountry: place.country } : {}),
      // Google wants an address; a venue with only a name still says where, in words.
      ...(!text.address && !text.city ? { name: venueText(place, language, defaultLanguage) } : {}),
    },
  };
};

export interface EventJsonLdInput {
  site: SiteContext;
  event: StoredEvent;
  series?: Series;
  language: LanguageCode;
  pageUrl: string;
}

export const eventJsonLd = ({ site, event, series, language, pageUrl }: EventJsonLdInput) => {
  const text = eventTextFor(event, language, site.defaultLanguage);
  const rescheduled = eventStatus(event) === `${SCHEMA}EventRescheduled`;
  const seriesName = series ? seriesTextIn(series, language, [site.defaultLanguage]).name : undefined;
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    name: singleLine(text.title),
    description: singleLine(text.summary || text.title),
    url: pageUrl,
    inLanguage: text.language,
    startDate: isoWithOffset(event, event.start),
    endDate: isoWithOffset(event, event.end),
    ...(rescheduled && event.previousStart
      ? { previousStartDate: isoWithOffset(event, event.previousStart) }
      : {}),
    eventStatus: eventStatus(event),
    eventAttendanceMode:
      event.location.type === "online"
        ? `${SCHEMA}OnlineEventAttendanceMode`
        : `${SCHEMA}OfflineEventAttendanceMode`,
    location: location(event, language, site.defaultLanguage, pageUrl),
    organizer: { "@type": "Organization", name: site.organisationName, url: `${site.siteUrl}/` },
    performer: event.speakers.map((speaker) => {
      const person = personTextFor(speaker, language, site.defaultLanguage);
      return {
        "@type": "Person",
        name: singleLine(person.name),
        ...(person.role ? { jobTitle: singleLine(person.role) } : {}),
        ...(person.organisation
          ? { affiliation: { "@type": "Organization", name: singleLine(person.organisation) } }
          : {}),
      };
    }),
    ...(seriesName ? { superEvent: { "@type": "EventSeries", name: seriesName } } : {}),
  };
};
