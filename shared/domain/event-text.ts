import type { LanguageCode, StoredEvent } from "./event";

export interface EventText {
  /** The language the text is actually in, for `lang` attributes when it is not the reader's. */
  language: LanguageCode;
  title: string;
  summary?: string;
}

/**
 * The event's text in the reader's language, else in the programme's default language, else in
 * any language it has (alphabetically, so the choice is stable). The slug stands in for a title
 * only if a record somehow has no translation at all: a mail still goes out rather than failing.
 */
export const eventTextFor = (
  event: Pick<StoredEvent, "translations" | "slug">,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): EventText => {
  const candidates = [language, defaultLanguage, ...Object.keys(event.translations).sort()];
  const chosen = candidates.find((candidate) => event.translations[candidate]?.title.trim());
  const translation = chosen ? event.translations[chosen] : undefined;
  if (!chosen || !translation) return { language: defaultLanguage, title: event.slug };
  return { language: chosen, title: translation.title, summary: translation.summary };
};
