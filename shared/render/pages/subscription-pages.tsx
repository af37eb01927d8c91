/**
 * The pages behind the links in our mails, in the site's layout. Pages reached by GET never change
 * anything (link scanners fetch every link in a mail): each shows a button that POSTs the action,
 * and the page answering the POST says what happened. JSX escapes every value.
 */
import type { ComponentChildren } from "preact";
import type { InvalidLinkError } from "../../domain/errors";
import type { LanguageCode } from "../../domain/event";
import { httpUrl } from "../feeds/html";
import { languageName } from "../i18n";
import { Layout, renderDocument } from "./layout";
import { siteMessagesFor } from "./messages";
import { type SeriesChoice, SeriesChoiceName } from "./partials/subscribe-form";
import type { SiteContext } from "./site";

export { PAGE_CONTENT_SECURITY_POLICY, PAGE_CONTENT_TYPE } from "./page-shell";

interface PageInput {
  language: LanguageCode;
  /** The programme, for the site's header and navigation; absent when eventcast publishes no site. */
  site?: SiteContext;
}

export interface ActionPageInput extends PageInput {
  /** The signed token from the link; sent back in the form so the action URL need not carry it. */
  token: string;
  /** Where the form POSTs: an absolute http(s) URL or a path on this site. */
  actionUrl: string;
}

export interface ManagePageInput extends ActionPageInput {
  currentLanguage: LanguageCode;
  /** Ids of the series the subscriber wants; empty means all. */
  currentSeries: string[];
  /** Whether they want reminders before events (on by default). */
  currentReminders: boolean;
  /** Every series, with its name already in the page's language. */
  allSeries: SeriesChoice[];
  /** The languages a subscriber may choose. */
  languages: string[];
}

export type InvalidLinkReason = InvalidLinkError["reason"];

/** A form target we built: a same-site path or an absolute http(s) URL, never `javascript:` or the like. */
const formAction = (actionUrl: string): string => {
  if (/^\/(?!\/)/.test(actionUrl)) return actionUrl;
  const url = httpUrl(actionUrl);
  if (!url) throw new Error("actionUrl must be a path or an absolute http(s) URL");
  return url;
};

/** A page of the subscription flow: not indexed, and no referrer (its URL may carry a token). */
const SubscriptionPage = ({
  site,
  language,
  title,
  children,
}: PageInput & { title: string; children: ComponentChildren }) =>
  renderDocument(
    <Layout site={site} language={language} title={title} noindex noReferrer narrow>
      <h1>{title}</h1>
      {children}
    </Layout>,
  );

const PostForm = ({
  actionUrl,
  label,
  children,
}: {
  actionUrl: string;
  label: string;
  children: ComponentChildren;
}) => (
  <form method="post" action={formAction(actionUrl)}>
    {children}
    <button type="submit">{label}</button>
  </form>
);

/** What the confirmation link opens: a button, because a scanner's GET must not confirm anyone. */
export const confirmPage = ({ language, site, token, actionUrl }: ActionPageInput): string => {
  const messages = siteMessagesFor(language);
  return SubscriptionPage({
    site,
    language,
    title: messages.confirmHeading,
    children: (
      <>
        <p>{messages.pageConfirmText}</p>
        <PostForm actionUrl={actionUrl} label={messages.confirmButton}>
          <input type="hidden" name="token" value={token} />
        </PostForm>
      </>
    ),
  });
};

export const confirmedPage = ({ language, site }: PageInput): string => {
  const messages = siteMessagesFor(language);
  return SubscriptionPage({
    site,
    language,
    title: messages.pageConfirmedTitle,
    children: <p>{messages.pageConfirmedText}</p>,
  });
};

/** What a GET of the List-Unsubscribe URL shows: a button that makes the same POST a mail client's one-click does. */
export const unsubscribePage = ({ language, site, token, actionUrl }: ActionPageInput): string => {
  const messages = siteMessagesFor(language);
  return SubscriptionPage({
    site,
    language,
    title: messages.pageUnsubscribeTitle,
    children: (
      <>
        <p>{messages.pageUnsubscribeText}</p>
        <PostForm actionUrl={actionUrl} label={messages.unsubscribe}>
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <input type="hidden" name="token" value={token} />
        </PostForm>
      </>
    ),
  });
};

export const unsubscribedPage = ({ language, site }: PageInput): string => {
  const messages = siteMessagesFor(language);
  return SubscriptionPage({
    site,
    language,
    title: messages.pageUnsubscribedTitle,
    children: <p>{messages.pageUnsubscribedText}</p>,
  });
};

/** The preferences form: the mail language, reminders and the wanted series (none ticked = all); it POSTs `token`, `language`, `reminders`, `series`. */
export const managePage = (input: ManagePageInput): string => {
  const messages = siteMessagesFor(input.language);
  const wanted = new Set(input.currentSeries);
  return SubscriptionPage({
    site: input.site,
    language: input.language,
    title: messages.pageManageTitle,
    children: (
      <PostForm actionUrl={input.actionUrl} label={messages.pageManageSave}>
        <input type="hidden" name="token" value={input.token} />
        <p>
          <label for="language">{messages.pageManageLanguage}</label>
          <select id="language" name="language">
            {input.languages.map((code) => (
              <option key={code} value={code} lang={code} selected={code === input.currentLanguage}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </p>
        <p>
          <input type="hidden" name="reminders" value="no" />
          <label class="choice">
            <input type="checkbox" name="reminders" value="yes" checked={input.currentReminders} />{" "}
            {messages.pageManageReminders}
          </label>
        </p>
        {input.allSeries.length > 0 && (
          <fieldset aria-describedby="series-hint">
            <legend>{messages.pageManageSeries}</legend>
            <p class="hint" id="series-hint">
              {messages.pageManageSeriesHint}
            </p>
            {input.allSeries.map((series) => (
              <label key={series.id} class="choice">
                <input type="checkbox" name="series" value={series.id} checked={wanted.has(series.id)} />{" "}
                <SeriesChoiceName choice={series} pageLanguage={input.language} />
              </label>
            ))}
          </fieldset>
        )}
      </PostForm>
    ),
  });
};

export const manageSavedPage = ({ language, site }: PageInput): string => {
  const messages = siteMessagesFor(language);
  return SubscriptionPage({
    site,
    language,
    title: messages.pageManageSavedTitle,
    children: <p>{messages.pageManageSavedText}</p>,
  });
};

/** For forged, altered, expired or orphaned links; says what to do without saying which address it was for. */
export const invalidLinkPage = ({
  language,
  site,
  reason,
}: PageInput & { reason: InvalidLinkReason }): string => {
  const messages = siteMessagesFor(language);
  const expired = reason === "expired" || reason === "unknown-subscriber" || reason === "revoked";
  return SubscriptionPage({
    site,
    language,
    title: messages.pageInvalidTitle,
    children: (
      <p>
        {reason === "left"
          ? messages.pageInvalidLeft
          : expired
            ? messages.pageInvalidExpired
            : messages.pageInvalidBroken}
      </p>
    ),
  });
};
