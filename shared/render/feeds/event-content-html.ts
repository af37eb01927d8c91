import type { EventLocation, LanguageCode, Series, StoredEvent } from "../../domain/event";
import { sanitizeBodyHtml } from "../../domain/sanitize-html";
import { eventTranslation, seriesName } from "../../domain/translations";
import { formatEventWhen } from "../event-when";
import { countryName, type Messages, messagesFor } from "../i18n";
import { escapeHtml, htmlLink, httpUrl } from "./html";

const joinPresent = (values: (string | undefined)[]): string => values.filter(Boolean).join(", ");

/** A labelled line of the facts list; `valueHtml` is already escaped. */
const fact = (label: string, valueHtml: string): string =>
  `<li><strong>${escapeHtml(label)}:</strong> ${valueHtml}</li>`;

const placeHtml = (location: EventLocation, messages: Messages, language: LanguageCode): string => {
  if (location.type === "online") {
    const url = httpUrl(location.url);
    return url ? `${escapeHtml(messages.online)} — ${htmlLink(url)}` : escapeHtml(messages.online);
  }
  const country = location.country ? countryName(location.country, language) : undefined;
  return escapeHtml(joinPresent([location.name, location.address, location.city, country]));
};

const speakersHtml = (event: StoredEvent, language: LanguageCode): string =>
  event.speakers
    .map((speaker) => {
      const country = speaker.country ? countryName(speaker.country, language) : undefined;
      const details = joinPresent([speaker.role, speaker.organisation, country]);
      return `<li><strong>${escapeHtml(speaker.name)}</strong>${details ? `, ${escapeHtml(details)}` : ""}</li>`;
    })
    .join("");

/**
 * The HTML of a feed item: cancelled marker, summary, the body (sanitised again), then the facts a
 * reader needs (when, where, who, agenda, series) with interface labels in the same language.
 * Every editor string is escaped; only the body keeps markup, and only what the allow-list permits.
 */
export const renderEventContentHtml = (
  event: StoredEvent,
  series: Series | undefined,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): string => {
  const messages = messagesFor(language);
  const translation = eventTranslation(event, language, defaultLanguage);
  const parts: string[] = [];
  if (event.status === "cancelled") parts.push(`<p><strong>${escapeHtml(messages.cancelled)}</strong></p>`);
  if (translation?.summary) parts.push(`<p>${escapeHtml(translation.summary)}</p>`);
  // Sanitised on input already; again here, so a row written around the API (a restore, a script) stays safe.
  const body = translation?.body ? sanitizeBodyHtml(translation.body) : "";
  if (body) parts.push(body);

  const facts = [
    fact(messages.date, escapeHtml(formatEventWhen(event, language))),
    fact(messages.place, placeHtml(event.location, messages, language)),
  ];
  if (event.moderator) {
    facts.push(
      fact(messages.moderator, escapeHtml(joinPresent([event.moderator.name, event.moderator.role]))),
    );
  }
  if (event.speakers.length > 0)
    facts.push(fact(messages.speakers, `<ul>${speakersHtml(event, language)}</ul>`));
  const agendaUrl = httpUrl(event.agendaUrl);
  if (agendaUrl) facts.push(fact(messages.agenda, htmlLink(agendaUrl)));
  const seriesTitle = seriesName(series, language, defaultLanguage);
  if (seriesTitle) facts.push(fact(messages.series, escapeHtml(seriesTitle)));
  parts.push(`<ul>${facts.join("")}</ul>`);
  return parts.join("\n");
};
