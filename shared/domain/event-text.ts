import type { LanguageCode, Person, PersonTranslation, StoredEvent, Venue, VenueTranslation } from "./event";

/**
 * The one fallback rule of every text editors write in several languages: the reader's language,
 * else the programme's default language, else any language the text has (alphabetically, so the
 * choice is stable). `usable` skips a translation that cannot stand for the text (an empty title).
 */
const chooseText = <T>(
  texts: Partial<Record<LanguageCode, T>>,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
  usable: (text: T) => boolean = () => true,
): { language: LanguageCode; text: T } | undefined => {
  for (const candidate of [language, defaultLanguage, ...Object.keys(texts).sort()]) {
    const text = Object.hasOwn(texts, candidate) ? texts[candidate] : undefined;
    if (text !== undefined && usable(text)) return { language: candidate, text };
  }
  return undefined;
};

export interface EventText {
  /** The language the text is actually in, for `lang` attributes when it is not the reader's. */
  language: LanguageCode;
  title: string;
  summary?: string;
}

/**
 * The event's text by the fallback rule. The slug stands in for a title only if a record somehow
 * has no translation at all: a mail still goes out rather than failing.
 */
export const eventTextFor = (
  event: Pick<StoredEvent, "translations" | "slug">,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): EventText => {
  const chosen = chooseText(event.translations, language, defaultLanguage, (text) =>
    Boolean(text.title.trim()),
  );
  if (!chosen) return { language: defaultLanguage, title: event.slug };
  return { language: chosen.language, title: chosen.text.title, summary: chosen.text.summary };
};

/** Text chosen for a reader, and the language it is in. */
export type TextIn<T> = T & { language: LanguageCode };

/**
 * A person's or venue's text by the fallback rule. The untranslated fields (`own`) are the default
 * language's text; a translation into the default language, when an editor writes one, replaces them.
 */
const textWithTranslations = <T extends object>(
  own: T,
  translations: Record<LanguageCode, T> | undefined,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): TextIn<T> => {
  const chosen = chooseText({ [defaultLanguage]: own, ...translations }, language, defaultLanguage);
  return { ...(chosen?.text ?? own), language: chosen?.language ?? defaultLanguage };
};

/** The moderator's or a speaker's name, role and organisation by the fallback rule. */
export const personTextFor = (
  person: Person,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): TextIn<PersonTranslation> =>
  textWithTranslations<PersonTranslation>(
    { name: person.name, role: person.role, organisation: person.organisation },
    person.translations,
    language,
    defaultLanguage,
  );

/** A venue's name, address and city by the fallback rule. */
export const venueTextFor = (
  venue: Venue,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): TextIn<VenueTranslation> =>
  textWithTranslations<VenueTranslation>(
    { name: venue.name, address: venue.address, city: venue.city },
    venue.translations,
    language,
    defaultLanguage,
  );
