/**
 * The subscribe form: a plain POST of email, language and series to the public API, which answers
 * with a page in the reader's language. No script needed.
 */
import type { LanguageCode, Series } from "../../../domain/event";
import { HONEYPOT_FIELD } from "../../../domain/subscriptions/subscriber";
import { seriesTextIn } from "../../../domain/translations";
import { languageName } from "../../i18n";
import { textDirection } from "../../mail/text-direction";
import { siteMessagesFor } from "../messages";
import { SUBSCRIBE_FORM_PATH } from "../site";

export interface SeriesChoice {
  id: string;
  /** In the page's language when the series has it, else in `language`. */
  name: string;
  language?: LanguageCode;
}

/** The series to choose from in a form in `language`, by name, each name with the language it is in. */
export const seriesChoicesIn = (
  series: readonly Series[],
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): SeriesChoice[] =>
  series
    .map((entry) => {
      const text = seriesTextIn(entry, language, [defaultLanguage]);
      return {
        id: entry.id,
        name: text.name ?? entry.id,
        ...(text.nameLanguage ? { language: text.nameLanguage } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, language));

/** A series' name in a form, marked with its language when it is not the page's. */
export const SeriesChoiceName = ({
  choice,
  pageLanguage,
}: {
  choice: SeriesChoice;
  pageLanguage: LanguageCode;
}) =>
  choice.language && choice.language !== pageLanguage ? (
    <span lang={choice.language} dir={textDirection(choice.language)}>
      {choice.name}
    </span>
  ) : (
    choice.name
  );

/** What the reader had entered, shown again when the form comes back with errors. */
export interface SubscribeFormValues {
  email?: string;
  language?: string;
  series?: readonly string[];
}

export interface SubscribeFormProps {
  /** The page's language: the answer's language and the mail language preselected. */
  language: LanguageCode;
  languages: readonly LanguageCode[];
  series: readonly SeriesChoice[];
  values?: SubscribeFormValues;
  /** Headings differ by page: the home page puts the form under an h2. */
  headingLevel?: 1 | 2;
}

export const SubscribeForm = ({
  language,
  languages,
  series,
  values = {},
  headingLevel = 2,
}: SubscribeFormProps) => {
  const messages = siteMessagesFor(language);
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const chosenLanguage = values.language && languages.includes(values.language) ? values.language : language;
  const wanted = new Set(values.series ?? []);
  return (
    <section class="subscribe-box" aria-labelledby="subscribe-heading">
      <Heading id="subscribe-heading">{messages.subscribeHeading}</Heading>
      <p>{messages.subscribeIntro}</p>
      <form method="post" action={SUBSCRIBE_FORM_PATH}>
        <input type="hidden" name="lang" value={language} />
        <p class="trap" aria-hidden="true">
          <label for="subscribe-website">Website</label>
          <input
            type="text"
            id="subscribe-website"
            name={HONEYPOT_FIELD}
            tabIndex={-1}
            autocomplete="off"
            value=""
          />
        </p>
        <p>
          <label for="subscribe-email">{messages.emailLabel}</label>
          <input
            type="email"
            id="subscribe-email"
            name="email"
            required
            autocomplete="email"
            maxLength={254}
            value={values.email ?? ""}
          />
        </p>
        <p>
          <label for="subscribe-language">{messages.pageManageLanguage}</label>
          <select id="subscribe-language" name="language">
            {languages.map((code) => (
              <option key={code} value={code} lang={code} selected={code === chosenLanguage}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </p>
        {series.length > 0 && (
          <fieldset aria-describedby="subscribe-series-hint">
            <legend>{messages.pageManageSeries}</legend>
            <p class="hint" id="subscribe-series-hint">
              {messages.pageManageSeriesHint}
            </p>
            {series.map((choice) => (
              <label key={choice.id} class="choice">
                <input type="checkbox" name="series" value={choice.id} checked={wanted.has(choice.id)} />{" "}
                <SeriesChoiceName choice={choice} pageLanguage={language} />
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit">{messages.subscribeButton}</button>
      </form>
    </section>
  );
};
