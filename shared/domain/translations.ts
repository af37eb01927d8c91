import type { EventTranslation, LanguageCode, Series, StoredEvent } from "./event";

/** The first of the languages the record has a translation in. */
export const firstAvailableLanguage = (
  translations: Record<LanguageCode, unknown>,
  preferred: readonly LanguageCode[],
): LanguageCode | undefined => preferred.find((language) => translations[language] !== undefined);

/** The event text in the language, or in the default language, or in any language it has. */
export const eventTranslation = (
  event: StoredEvent,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): EventTranslation | undefined => {
  const fallback = firstAvailableLanguage(event.translations, [language, defaultLanguage]);
  return fallback ? event.translations[fallback] : Object.values(event.translations)[0];
};

/** The series name in the language, or in the default language, or in any language it has. */
export const seriesName = (
  series: Series | undefined,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): string | undefined => {
  if (!series) return undefined;
  const fallback = firstAvailableLanguage(series.translations, [language, defaultLanguage]);
  return (fallback ? series.translations[fallback] : Object.values(series.translations)[0])?.name;
};

/**
 * The series' own text for a feed in the language: its name (in the language, else the first of
 * `fallbacks` it has, else its first language in code order) and the first description found in
 * that same order. Code order rather than record order, so a re-read row never reorders the bytes.
 */
export const seriesTextIn = (
  series: Series,
  language: LanguageCode,
  fallbacks: readonly LanguageCode[],
): { name?: string; nameLanguage?: LanguageCode; description?: string } => {
  const order = [...new Set([language, ...fallbacks, ...Object.keys(series.translations).sort()])];
  const translations = order.flatMap((code) => series.translations[code] ?? []);
  return {
    name: translations[0]?.name,
    nameLanguage: order.find((code) => series.translations[code] !== undefined),
    description: translations.find((translation) => translation.description)?.description,
  };
};
