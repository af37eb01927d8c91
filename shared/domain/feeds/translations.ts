import type { EventTranslation, LanguageCode, Series, StoredEvent } from "../event";

/** The language used when a requested one is missing, before any other available one. */
const FALLBACK_LANGUAGE = "en";

/** The first of the languages the record has a translation in. */
export const firstAvailableLanguage = (
  translations: Record<LanguageCode, unknown>,
  preferred: readonly LanguageCode[],
): LanguageCode | undefined => preferred.find((language) => translations[language] !== undefined);

/** The event text in the language, or in English, or in any language it has. */
export const eventTranslation = (
  event: StoredEvent,
  language: LanguageCode,
): EventTranslation | undefined => {
  const fallback = firstAvailableLanguage(event.translations, [language, FALLBACK_LANGUAGE]);
  return fallback ? event.translations[fallback] : Object.values(event.translations)[0];
};

/** The series name in the language, or in English, or in any language it has. */
export const seriesName = (series: Series | undefined, language: LanguageCode): string | undefined => {
  if (!series) return undefined;
  const fallback = firstAvailableLanguage(series.translations, [language, FALLBACK_LANGUAGE]);
  return (fallback ? series.translations[fallback] : Object.values(series.translations)[0])?.name;
};
