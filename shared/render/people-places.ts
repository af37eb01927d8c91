/**
 * The moderator, the speakers and a venue as readers see them in feeds, mails and calendars: the
 * editors' text in the reader's language (by the fallback rule of shared/domain/event-text), then
 * the country, named in the document's own language whatever language the text fell back to.
 */
import type { LanguageCode, Person, Venue } from "../domain/event";
import { personTextFor, venueTextFor } from "../domain/event-text";
import { escapeHtml, langAttribute } from "./feeds/html";
import { countryName } from "./i18n";
import { singleLine } from "./mail/plain-text";

/** One person or venue on one line of a document. */
export interface TextLine {
  /** The language of `parts`: the reader's, unless the text fell back to another. */
  language: LanguageCode;
  /** The language of the document around the line, which names the country. */
  documentLanguage: LanguageCode;
  /** Editors' text, on one line each, in order (name, role, organisation; or name, address, city); none empty. */
  parts: string[];
  /** The country's name, in the document's language. */
  country?: string;
}

/** Who reads the line: the language text is chosen for, and the default it falls back to. */
export interface LineReader {
  language: LanguageCode;
  defaultLanguage: LanguageCode;
  /** The document's own language when it is not `language` (a mail in English for a language it has no strings for). */
  documentLanguage?: LanguageCode;
}

const presentParts = (values: (string | undefined)[]): string[] =>
  values.flatMap((value) => {
    const line = value ? singleLine(value) : "";
    return line ? [line] : [];
  });

const lineOf = (
  text: { language: LanguageCode },
  parts: (string | undefined)[],
  country: string | undefined,
  reader: LineReader,
): TextLine => {
  const documentLanguage = reader.documentLanguage ?? reader.language;
  return {
    language: text.language,
    documentLanguage,
    parts: presentParts(parts),
    country: country ? countryName(country, documentLanguage) : undefined,
  };
};

/** The moderator or a speaker: name, role, organisation, country. */
export const personLine = (person: Person, reader: LineReader): TextLine => {
  const text = personTextFor(person, reader.language, reader.defaultLanguage);
  return lineOf(text, [text.name, text.role, text.organisation], person.country, reader);
};

/** A venue: name, address, city, country. */
export const venueLine = (venue: Venue, reader: LineReader): TextLine => {
  const text = venueTextFor(venue, reader.language, reader.defaultLanguage);
  return lineOf(text, [text.name, text.address, text.city], venue.country, reader);
};

/** The line as plain text: "Olga Shapoval, Executive director, Kharkiv IT Cluster, Ukraine". */
export const lineText = (line: TextLine): string =>
  [...line.parts, ...(line.country ? [line.country] : [])].join(", ");

/**
 * The line as escaped HTML: editors' text in another language than the document's is wrapped in a
 * span saying so; the country, in the document's language, is not. `emphasiseFirst` puts the name
 * in <strong>.
 */
export const lineHtml = (line: TextLine, { emphasiseFirst = false } = {}): string => {
  const [first, ...rest] = line.parts.map(escapeHtml);
  const textHtml = [emphasiseFirst && first ? `<strong>${first}</strong>` : first, ...rest]
    .filter(Boolean)
    .join(", ");
  const lang = langAttribute(line.language, line.documentLanguage);
  const html = lang && textHtml ? `<span${lang}>${textHtml}</span>` : textHtml;
  return [html, ...(line.country ? [escapeHtml(line.country)] : [])].filter(Boolean).join(", ");
};
