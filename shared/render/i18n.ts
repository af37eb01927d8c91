/**
 * Interface strings (labels around editor text) in every language the programme publishes in.
 * Each section is one typed dictionary: the English entry defines the keys and the compiler makes
 * every other language supply all of them. To add a section (mail, pages), define it with
 * `defineMessages` below and add it to `SECTIONS`; `messagesFor` merges them.
 */
import { type Config, textIn } from "../config";
import type { LanguageCode } from "../domain/event";

export const INTERFACE_LANGUAGES = ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"] as const;
export type InterfaceLanguage = (typeof INTERFACE_LANGUAGES)[number];

const FALLBACK_LANGUAGE: InterfaceLanguage = "en";

/** A dictionary whose English entry fixes the keys: a missing or extra key in any language is a compile error. */
export const defineMessages = <K extends string>(
  dictionary: { en: Record<K, string> } & Record<
    Exclude<InterfaceLanguage, "en">,
    Record<NoInfer<K>, string>
  >,
) => dictionary;

/** Labels used in feed items (and reused by the announcement mail). */
const FEED_MESSAGES = defineMessages({
  en: {
    languageName: "English",
    date: "Date",
    place: "Place",
    online: "Online",
    moderator: "Moderator",
    speakers: "Speakers",
    agenda: "Agenda",
    cancelled: "Cancelled",
    series: "Series",
    allEvents: "All events",
    /** The programme's name and description when FEED_TITLE / FEED_DESCRIPTION are unset. */
    programmeTitle: "Events",
    programmeDescription: "Upcoming and past events",
  },
  ka: {
    languageName: "ქართული",
    date: "თარიღი",
    place: "ადგილი",
    online: "ონლაინ",
    moderator: "მოდერატორი",
    speakers: "სპიკერები",
    agenda: "დღის წესრიგი",
    cancelled: "გაუქმებულია",
    series: "სერია",
    allEvents: "ყველა ღონისძიება",
    programmeTitle: "ღონისძიებები",
    programmeDescription: "მომავალი და წარსული ღონისძიებები",
  },
  hy: {
    languageName: "Հայերեն",
    date: "Ամսաթիվ",
    place: "Վայր",
    online: "Առցանց",
    moderator: "Մոդերատոր",
    speakers: "Բանախոսներ",
    agenda: "Օրակարգ",
    cancelled: "Չեղարկված է",
    series: "Շարք",
    allEvents: "Բոլոր միջոցառումները",
    programmeTitle: "Միջոցառումներ",
    programmeDescription: "Առաջիկա և անցած միջոցառումներ",
  },
  az: {
    languageName: "Azərbaycan dili",
    date: "Tarix",
    place: "Məkan",
    online: "Onlayn",
    moderator: "Moderator",
    speakers: "Məruzəçilər",
    agenda: "Proqram",
    cancelled: "Ləğv edilib",
    series: "Silsilə",
    allEvents: "Bütün tədbirlər",
    programmeTitle: "Tədbirlər",
    programmeDescription: "Qarşıdakı və keçmiş tədbirlər",
  },
  be: {
    languageName: "Беларуская",
    date: "Дата",
    place: "Месца",
    online: "Анлайн",
    moderator: "Мадэратар",
    speakers: "Спікеры",
    agenda: "Праграма",
    cancelled: "Адменена",
    series: "Серыя",
    allEvents: "Усе мерапрыемствы",
    programmeTitle: "Мерапрыемствы",
    programmeDescription: "Будучыя і мінулыя мерапрыемствы",
  },
  ro: {
    languageName: "Română",
    date: "Data",
    place: "Locul",
    online: "Online",
    moderator: "Moderator",
    speakers: "Vorbitori",
    agenda: "Agenda",
    cancelled: "Anulat",
    series: "Seria",
    allEvents: "Toate evenimentele",
    programmeTitle: "Evenimente",
    programmeDescription: "Evenimente viitoare și trecute",
  },
  ru: {
    languageName: "Русский",
    date: "Дата",
    place: "Место",
    online: "Онлайн",
    moderator: "Модератор",
    speakers: "Спикеры",
    agenda: "Программа",
    cancelled: "Отменено",
    series: "Серия",
    allEvents: "Все мероприятия",
    programmeTitle: "Мероприятия",
    programmeDescription: "Предстоящие и прошедшие мероприятия",
  },
  uk: {
    languageName: "Українська",
    date: "Дата",
    place: "Місце",
    online: "Онлайн",
    moderator: "Модератор",
    speakers: "Спікери",
    agenda: "Програма",
    cancelled: "Скасовано",
    series: "Серія",
    allEvents: "Усі заходи",
    programmeTitle: "Заходи",
    programmeDescription: "Майбутні та минулі заходи",
  },
});

/** Every section, merged per language; add new sections here. */
const SECTIONS = [FEED_MESSAGES] as const;

export type Messages = (typeof FEED_MESSAGES)["en"];
export type MessageKey = keyof Messages;

const MERGED = Object.fromEntries(
  INTERFACE_LANGUAGES.map((language) => [
    language,
    Object.assign({}, ...SECTIONS.map((section) => section[language])) as Messages,
  ]),
) as Record<InterfaceLanguage, Messages>;

export const isInterfaceLanguage = (language: LanguageCode): language is InterfaceLanguage =>
  (INTERFACE_LANGUAGES as readonly string[]).includes(language);

/** The interface strings for a language; English for a language without a dictionary. */
export const messagesFor = (language: LanguageCode): Messages =>
  MERGED[isInterfaceLanguage(language) ? language : FALLBACK_LANGUAGE];

/** One interface string, in English when the language has no dictionary. */
export const translate = (language: LanguageCode, key: MessageKey): string => messagesFor(language)[key];

/**
 * The programme's name and description in a language: the operator's (FEED_TITLE, FEED_DESCRIPTION;
 * the default language's where a language has none), else the language's own words.
 */
export const programmeTextIn = (
  config: Pick<Config, "feedTitle" | "feedDescription" | "defaultLanguage">,
  language: LanguageCode,
): { title: string; description: string } => {
  const words = messagesFor(language);
  return {
    title: textIn(config.feedTitle, language, config.defaultLanguage) ?? words.programmeTitle,
    description:
      textIn(config.feedDescription, language, config.defaultLanguage) ?? words.programmeDescription,
  };
};

/** The language's name in that language ("ქართული"), for feed titles and language pickers. */
export const languageName = (language: LanguageCode): string =>
  isInterfaceLanguage(language)
    ? MERGED[language].languageName
    : (new Intl.DisplayNames([language], { type: "language", fallback: "code" }).of(language) ?? language);

/**
 * The Intl locale used to format dates and names for a language. English is en-GB: the
 * programme is European and writes "14 December 2020", day first, on a 24-hour clock.
 */
export const intlLocaleFor = (language: LanguageCode): string => (language === "en" ? "en-GB" : language);

const countryNames = new Map<string, string>();

/** A country's name in the language ("UA" → "უკრაინა"); anything that is not a region code is kept. */
export const countryName = (country: string, language: LanguageCode): string => {
  if (!/^[A-Z]{2}$/.test(country)) return country;
  const locale = intlLocaleFor(language);
  const key = `${locale}:${country}`;
  let name = countryNames.get(key);
  if (name === undefined) {
    try {
      name = new Intl.DisplayNames([locale], { type: "region" }).of(country) ?? country;
    } catch {
      // An unknown locale or code: the code itself is still meaningful to a reader.
      name = country;
    }
    countryNames.set(key, name);
  }
  return name;
};
