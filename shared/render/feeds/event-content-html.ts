import type { EventLocation, LanguageCode, Series, StoredEvent } from "../../domain/event";
import { sanitizeBodyHtml } from "../../domain/sanitize-html";
import { eventTranslation, seriesName } from "../../domain/translations";
import { formatEventWhen } from "../event-when";
import { type Messages, messagesFor } from "../i18n";
import { type LineReader, lineHtml, personLine, venueLine } from "../people-places";
import { escapeHtml, htmlLink, httpUrl } from "./html";

/** A labelled line of the facts list; `valueHtml` is already escaped. */
const fact = (label: string, valueHtml: string): string =>
  `<li><strong>${escapeHtml(label)}:</strong> ${valueHtml}</li>`;

const placeHtml = (location: EventLocation, messages: Messages, reader: LineReader): string => {
  if (location.type === "venue") return lineHtml(venueLine(location, reader));
  const url = httpUrl(location.url);
  return url ? `${escapeHtml(messages.online)} — ${htmlLink(url)}` : escapeHtml(messages.online);
};

const speakersHtml = (event: StoredEvent, reader: LineReader): string =>
  event.speakers
    .map((speaker) => `<li>${lineHtml(personLine(speaker, reader), { emphasiseFirst: true })}</li>`)
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
  const reader: LineReader = { language, defaultLanguage };
  const translation = eventTranslation(event, language, defaultLanguage);
  const parts: string[] = [];
  if (event.status === "cancelled") parts.push(`<p><strong>${escapeHtml(messages.cancelled)}</strong></p>`);
  if (translation?.summary) parts.push(`<p>${escapeHtml(translation.summary)}</p>`);
  // Sanitised on input already; again here, so a row written around the API (a restore, a script) stays safe.
  const body = translation?.body ? sanitizeBodyHtml(translation.body) : "";
  if (body) parts.push(body);

  const facts = [
    fact(messages.date, escapeHtml(formatEventWhen(event, language))),
    fact(messages.place, placeHtml(event.location, messages, reader)),
  ];
  if (event.moderator) facts.push(fact(messages.moderator, lineHtml(personLine(event.moderator, reader))));
  if (event.speakers.length > 0)
    facts.push(fact(messages.speakers, `<ul>${speakersHtml(event, reader)}</ul>`));
  const agendaUrl = httpUrl(event.agendaUrl);
  if (agendaUrl) facts.push(fact(messages.agenda, htmlLink(agendaUrl)));
  const seriesTitle = seriesName(series, language, defaultLanguage);
  if (seriesTitle) facts.push(fact(messages.series, escapeHtml(seriesTitle)));
  parts.push(`<ul>${facts.join("")}</ul>`);
  return parts.join("\n");
};
