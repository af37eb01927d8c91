/**
 * The subscribe page, and the pages the public API answers the form with: the uniform answer
 * (the same whatever the address's state) and the form again with what to correct.
 */
import type { LanguageCode } from "../../domain/event";
import { Layout, renderDocument } from "./layout";
import { siteMessagesFor } from "./messages";
import { type SeriesChoice, SubscribeForm, type SubscribeFormValues } from "./partials/subscribe-form";
import { type SiteContext, subscribePageUrl } from "./site";

export interface SubscribePageInput {
  site: SiteContext;
  language: LanguageCode;
  /** Names in the page's language. */
  series: readonly SeriesChoice[];
}

export const renderSubscribePage = ({ site, language, series }: SubscribePageInput): string => {
  const messages = siteMessagesFor(language);
  return renderDocument(
    <Layout
      site={site}
      language={language}
      title={messages.subscribeHeading}
      description={messages.subscribeIntro}
      canonical={subscribePageUrl(site, language)}
      alternates={site.languages.map((code) => ({ language: code, url: subscribePageUrl(site, code) }))}
      xDefault={subscribePageUrl(site, site.defaultLanguage)}
      narrow
    >
      <SubscribeForm language={language} languages={site.languages} series={series} headingLevel={1} />
    </Layout>,
  );
};

/** The uniform answer to a subscribe form: it never says whether the address was known. */
export const renderSubscribeAnswerPage = ({
  site,
  language,
}: {
  site?: SiteContext;
  language: LanguageCode;
}) => {
  const messages = siteMessagesFor(language);
  return renderDocument(
    <Layout site={site} language={language} title={messages.subscribeThanksTitle} noindex narrow>
      <h1>{messages.subscribeThanksTitle}</h1>
      <p>{messages.subscribeThanksText}</p>
    </Layout>,
  );
};

export type SubscribeFormField = "email" | "language" | "series" | "form";

export interface SubscribeFormErrorInput {
  site?: SiteContext;
  language: LanguageCode;
  languages: readonly LanguageCode[];
  series: readonly SeriesChoice[];
  values: SubscribeFormValues;
  /** The fields that were refused; each gets its reason in the reader's language. */
  fields: readonly SubscribeFormField[];
}

/** The form again, filled in as sent, with what to correct above it. */
export const renderSubscribeFormErrorPage = (input: SubscribeFormErrorInput): string => {
  const messages = siteMessagesFor(input.language);
  const reasons: Record<SubscribeFormField, string> = {
    email: messages.formErrorEmail,
    language: messages.formErrorLanguage,
    series: messages.formErrorSeries,
    form: messages.formErrorOther,
  };
  return renderDocument(
    <Layout site={input.site} language={input.language} title={messages.formErrorTitle} noindex narrow>
      <section class="errors" aria-labelledby="form-errors">
        <h2 id="form-errors">{messages.formErrorTitle}</h2>
        <ul>
          {[...new Set(input.fields)].map((field) => (
            <li key={field} data-field={field}>
              {reasons[field]}
            </li>
          ))}
        </ul>
      </section>
      <SubscribeForm
        language={input.language}
        languages={input.languages}
        series={input.series}
        values={input.values}
        headingLevel={1}
      />
    </Layout>,
  );
};

/** Too many requests for one address: the same page whatever the address's state. */
export const renderTooManyRequestsPage = ({
  site,
  language,
}: {
  site?: SiteContext;
  language: LanguageCode;
}) => {
  const messages = siteMessagesFor(language);
  return renderDocument(
    <Layout site={site} language={language} title={messages.tooManyRequestsTitle} noindex narrow>
      <h1>{messages.tooManyRequestsTitle}</h1>
      <p>{messages.tooManyRequestsText}</p>
    </Layout>,
  );
};
