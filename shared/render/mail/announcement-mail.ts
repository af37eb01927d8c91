/**
 * The mail of every mailing of an event to one subscriber (the announcement, a change notice, the
 * cancellation, the reminder): interface strings in the subscriber's language, event text in that
 * language or the programme's default, the current .ics attached, and the RFC 8058 one-click
 * unsubscribe headers. A notice adds what changed, old → new. A notice's and a reminder's subject
 * and kicker say what changed or when the event is (follow-up-headlines).
 */

import type { EventLocation, LanguageCode, StoredEvent } from "../../domain/event";
import { type EventText, eventTextFor } from "../../domain/event-text";
import type { MailingKind } from "../../domain/mailings";
import type { MaterialFacts } from "../../domain/material-change";
import { CALENDAR_CONTENT_TYPE, renderEventCalendar } from "../calendar/calendar";
import { formatEventWhen } from "../event-when";
import { httpUrl, langAttribute } from "../feeds/html";
import { type LineReader, lineHtml, lineText, personLine, type TextLine, venueLine } from "../people-places";
import { type ChangeLine, changeLines } from "./change-lines";
import { eventToday, noticeHeadline, reminderWords } from "./follow-up-headlines";
import {
  htmlParagraphText,
  htmlText,
  MAIL_STYLE,
  mailLink,
  postalLine,
  renderMailHtml,
  requireHttpUrl,
} from "./mail-layout";
import { fill, interfaceLanguageFor, type MailMessages, mailMessagesFor } from "./messages";
import { singleLine, withoutControlChars } from "./plain-text";
import type { MailHeader, MailSender, RenderedMail } from "./rendered-mail";

export interface AnnouncementLinks {
  eventUrl: string;
  /** The event's .ics on the public API. */
  calendarUrl: string;
  manageUrl: string;
  /** The one-click unsubscribe URL (RFC 8058): it carries the subscriber's token. */
  unsubscribeUrl: string;
}

export interface AnnouncementMailInput {
  /** Which mail of the event: "announcement" when absent. */
  kind?: MailingKind;
  /** A notice's: the facts subscribers were told before, shown as old → new. */
  previous?: MaterialFacts;
  /** When the mail is sent (ISO 8601; the clock by default): a reminder says "Today", "Tomorrow"… from it. */
  now?: string;
  event: StoredEvent;
  /** Already in the subscriber's language where the series has it. */
  seriesName?: string;
  /** The subscriber's language. */
  language: LanguageCode;
  defaultLanguage: LanguageCode;
  links: AnnouncementLinks;
  sender: MailSender;
}

/** A value for both parts, with its escaped HTML when that is more than the text (a link, a language). */
type FactValue = { text: string; html?: string };

/** One labelled fact of the event: a value or a list. */
type Fact = ({ label: string } & FactValue) | { label: string; items: FactValue[] };

/** RFC 8058: mail clients show an unsubscribe button that POSTs `List-Unsubscribe=One-Click` to the URL. */
export const oneClickUnsubscribeHeaders = (unsubscribeUrl: string): MailHeader[] => [
  { name: "List-Unsubscribe", value: `<${requireHttpUrl("unsubscribeUrl", unsubscribeUrl)}>` },
  { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
];

/** A person or venue, marked in the HTML part when its text fell back to another language than the mail's. */
const lineValue = (line: TextLine): FactValue => ({ text: lineText(line), html: lineHtml(line) });

const placeFact = (location: EventLocation, messages: MailMessages, reader: LineReader): Fact => {
  if (location.type === "venue") return { label: messages.place, ...lineValue(venueLine(location, reader)) };
  const url = httpUrl(location.url);
  if (!url) return { label: messages.place, text: messages.online };
  return {
    label: messages.place,
    text: `${messages.online} — ${url}`,
    html: `${htmlText(messages.online)} — ${mailLink(url, url)}`,
  };
};

/** When, where, who and the agenda, in the order a reader looks for them. */
const factsOf = (event: StoredEvent, messages: MailMessages, reader: Required<LineReader>): Fact[] => {
  const facts: Fact[] = [
    { label: messages.date, text: formatEventWhen(event, reader.documentLanguage) },
    placeFact(event.location, messages, reader),
  ];
  if (event.moderator)
    facts.push({ label: messages.moderator, ...lineValue(personLine(event.moderator, reader)) });
  const speakers = event.speakers.map((speaker) => lineValue(personLine(speaker, reader)));
  if (speakers.length > 0) facts.push({ label: messages.speakers, items: speakers });
  const agendaUrl = httpUrl(event.agendaUrl);
  if (agendaUrl)
    facts.push({ label: messages.agenda, text: agendaUrl, html: mailLink(agendaUrl, agendaUrl) });
  return facts;
};

interface MailParts {
  language: LanguageCode;
  messages: MailMessages;
  /** The calendar link's label and the line about the attached .ics: an update updates, it does not add. */
  calendar: { action: string; attached?: string };
  cancelled: boolean;
  text: EventText;
  kicker: string;
  changes: ChangeLine[];
  facts: Fact[];
  links: AnnouncementLinks;
  sender: MailSender;
}

const factHtml = (fact: Fact): string => {
  const label = `<strong>${htmlText(fact.label)}:</strong>`;
  if ("items" in fact) {
    const items = fact.items.map((item) => `<li>${item.html ?? htmlText(item.text)}</li>`).join("");
    return `<p style="${MAIL_STYLE.factLabel}">${label}</p><ul style="${MAIL_STYLE.list}">${items}</ul>`;
  }
  return `<p style="${MAIL_STYLE.paragraph}">${label} ${fact.html ?? htmlText(fact.text)}</p>`;
};

const factText = (fact: Fact): string[] =>
  "items" in fact
    ? [`${fact.label}:`, ...fact.items.map((item) => `- ${item.text}`)]
    : [`${fact.label}: ${fact.text}`];

const whyYouGetThis = (parts: MailParts): string =>
  fill(parts.messages.whyYouGetThis, { organisation: singleLine(parts.sender.organisation) });

const htmlPart = (parts: MailParts, subject: string): string => {
  const { messages, text, links } = parts;
  // Event text that fell back to another language is marked as such for screen readers and hyphenation.
  const textLang = langAttribute(text.language, parts.language);
  const content = [
    `<p style="${MAIL_STYLE.kicker}">${htmlText(parts.kicker)}</p>`,
    `<h1${textLang} style="${MAIL_STYLE.heading}">${htmlText(text.title)}</h1>`,
    parts.cancelled ? `<p style="${MAIL_STYLE.cancelled}">${htmlText(messages.cancelledText)}</p>` : "",
    parts.changes.length > 0
      ? `<p style="${MAIL_STYLE.factLabel}"><strong>${htmlText(messages.whatChanged)}:</strong></p>` +
        `<ul style="${MAIL_STYLE.list}">${parts.changes
          .map((change) => `<li><strong>${htmlText(change.label)}:</strong> ${htmlText(change.text)}</li>`)
          .join("")}</ul>`
      : "",
    text.summary
      ? `<p${textLang} style="${MAIL_STYLE.paragraph}">${htmlParagraphText(text.summary)}</p>`
      : "",
    ...parts.facts.map(factHtml),
    `<p style="${MAIL_STYLE.actions}">${mailLink(links.calendarUrl, parts.calendar.action, MAIL_STYLE.button)} ` +
      `${mailLink(links.eventUrl, messages.eventPage, MAIL_STYLE.secondaryButton)}</p>`,
    parts.calendar.attached ? `<p style="${MAIL_STYLE.small}">${htmlText(parts.calendar.attached)}</p>` : "",
    `<hr style="${MAIL_STYLE.rule}">`,
    `<p style="${MAIL_STYLE.small}">${htmlText(whyYouGetThis(parts))}</p>`,
    `<p style="${MAIL_STYLE.small}">${mailLink(links.manageUrl, messages.manage)} · ${mailLink(links.unsubscribeUrl, messages.unsubscribe)}</p>`,
    `<p style="${MAIL_STYLE.small}">${htmlText(postalLine(parts.sender))}</p>`,
  ];
  return renderMailHtml({
    language: parts.language,
    title: subject,
    contentHtml: content.filter(Boolean).join("\n"),
  });
};

const textPart = (parts: MailParts): string => {
  const { messages, text, links } = parts;
  const lines = [
    parts.kicker,
    "",
    singleLine(text.title),
    ...(parts.cancelled ? ["", messages.cancelledText] : []),
    ...(parts.changes.length > 0
      ? [
          "",
          `${messages.whatChanged}:`,
          ...parts.changes.map((change) => `- ${change.label}: ${change.text}`),
        ]
      : []),
    ...(text.summary ? ["", withoutControlChars(text.summary).trim()] : []),
    "",
    ...parts.facts.flatMap(factText),
    "",
    `${parts.calendar.action}: ${links.calendarUrl}`,
    `${messages.eventPage}: ${links.eventUrl}`,
    ...(parts.calendar.attached ? [parts.calendar.attached] : []),
    "",
    "———",
    whyYouGetThis(parts),
    `${messages.manage}: ${links.manageUrl}`,
    `${messages.unsubscribe}: ${links.unsubscribeUrl}`,
    postalLine(parts.sender),
  ];
  return `${lines.join("\n")}\n`;
};

/** What a notice or a reminder leads with, in its subject and kicker: what changed, or when the event is. */
const followUpHeadline = (
  kind: MailingKind,
  input: AnnouncementMailInput,
  messages: MailMessages,
  language: LanguageCode,
): string => {
  if (kind === "notice") {
    return messages[input.previous ? noticeHeadline(input.previous, input.event) : "changedSubject"];
  }
  if (kind !== "reminder") return "";
  const today = eventToday(input.event, input.now ?? new Date().toISOString());
  return reminderWords(input.event, today, messages, language);
};

/** Renders the announcement of `event` for one subscriber. */
export const renderAnnouncementMail = (input: AnnouncementMailInput): RenderedMail => {
  const language = interfaceLanguageFor(input.language);
  const messages = mailMessagesFor(language);
  const links: AnnouncementLinks = {
    eventUrl: requireHttpUrl("eventUrl", input.links.eventUrl),
    calendarUrl: requireHttpUrl("calendarUrl", input.links.calendarUrl),
    manageUrl: requireHttpUrl("manageUrl", input.links.manageUrl),
    unsubscribeUrl: requireHttpUrl("unsubscribeUrl", input.links.unsubscribeUrl),
  };
  const text = eventTextFor(input.event, input.language, input.defaultLanguage);
  const cancelled = input.event.status === "cancelled";
  const kind = input.kind ?? "announcement";
  const reader = {
    language: input.language,
    defaultLanguage: input.defaultLanguage,
    documentLanguage: language,
  };
  const headline = followUpHeadline(kind, input, messages, language);
  const kickers: Record<MailingKind, string> = {
    announcement: messages.newEvent,
    notice: headline,
    cancellation: messages.cancelledEvent,
    reminder: headline,
  };
  const parts: MailParts = {
    language,
    messages,
    // The cancellation's own sentence already says what its attached file does.
    calendar: cancelled
      ? { action: messages.updateCalendar }
      : kind === "notice"
        ? { action: messages.updateCalendar, attached: messages.calendarUpdateAttached }
        : { action: messages.addToCalendar, attached: messages.calendarAttached },
    cancelled,
    text,
    kicker: [kickers[kind], input.seriesName ? singleLine(input.seriesName) : ""].filter(Boolean).join(" · "),
    changes: kind === "notice" && input.previous ? changeLines(input.previous, input.event, reader) : [],
    facts: factsOf(input.event, messages, reader),
    links,
    sender: input.sender,
  };
  const title = singleLine(text.title);
  const prefix = cancelled
    ? messages.cancelled
    : { announcement: "", notice: headline, cancellation: "", reminder: headline }[kind];
  const subject = prefix ? `${prefix}: ${title}` : title;
  return {
    subject,
    html: htmlPart(parts, subject),
    text: textPart(parts),
    headers: oneClickUnsubscribeHeaders(links.unsubscribeUrl),
    attachments: [
      {
        fileName: "event.ics",
        contentType: CALENDAR_CONTENT_TYPE,
        content: renderEventCalendar(input.event, {
          language: input.language,
          defaultLanguage: input.defaultLanguage,
          seriesName: input.seriesName,
          eventUrl: links.eventUrl,
        }),
      },
    ],
  };
};
