/**
 * The pages behind the links in our mails. Pages reached by GET never change anything (link
 * scanners fetch every link in a mail): each shows a button that POSTs the action, and the page
 * answering the POST says what happened. Every value is escaped.
 */
import type { InvalidLinkError } from "../../domain/errors";
import type { LanguageCode } from "../../domain/event";
import { escapeHtml, httpUrl } from "../feeds/html";
import { languageName } from "../i18n";
import { mailMessagesFor } from "../mail/messages";
import { singleLine } from "../mail/plain-text";
import { renderPage } from "./page-shell";

export { PAGE_CONTENT_SECURITY_POLICY, PAGE_CONTENT_TYPE, renderPage } from "./page-shell";

export interface ActionPageInput {
  language: LanguageCode;
  /** The signed token from the link; sent back in the form so the action URL need not carry it. */
  token: string;
  /** Where the form POSTs: an absolute http(s) URL or a path on this site. */
  actionUrl: string;
}

export interface ManagePageInput extends ActionPageInput {
  currentLanguage: LanguageCode;
  /** Ids of the series the subscriber wants; empty means all. */
  currentSeries: string[];
  /** Every series, with its name already in the page's language. */
  allSeries: { id: string; name: string }[];
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

const paragraph = (text: string, className?: string): string =>
  `<p${className ? ` class="${className}"` : ""}>${escapeHtml(singleLine(text))}</p>`;

const hiddenField = (name: string, value: string): string =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

const postForm = (actionUrl: string, fieldsHtml: string[], buttonLabel: string): string =>
  [
    `<form method="post" action="${escapeHtml(formAction(actionUrl))}">`,
    ...fieldsHtml,
    `<button type="submit">${escapeHtml(singleLine(buttonLabel))}</button>`,
    "</form>",
  ].join("\n");

/** What the confirmation link opens: a button, because a scanner's GET must not confirm anyone. */
export const confirmPage = ({ language, token, actionUrl }: ActionPageInput): string => {
  const messages = mailMessagesFor(language);
  return renderPage({
    language,
    title: messages.confirmHeading,
    bodyHtml: [
      paragraph(messages.pageConfirmText),
      postForm(actionUrl, [hiddenField("token", token)], messages.confirmButton),
    ].join("\n"),
  });
};

export const confirmedPage = ({ language }: { language: LanguageCode }): string => {
  const messages = mailMessagesFor(language);
  return renderPage({
    language,
    title: messages.pageConfirmedTitle,
    bodyHtml: paragraph(messages.pageConfirmedText),
  });
};

/** What a GET of the List-Unsubscribe URL shows: a button that makes the same POST a mail client's one-click does. */
export const unsubscribePage = ({ language, token, actionUrl }: ActionPageInput): string => {
  const messages = mailMessagesFor(language);
  return renderPage({
    language,
    title: messages.pageUnsubscribeTitle,
    bodyHtml: [
      paragraph(messages.pageUnsubscribeText),
      postForm(
        actionUrl,
        [hiddenField("List-Unsubscribe", "One-Click"), hiddenField("token", token)],
        messages.unsubscribe,
      ),
    ].join("\n"),
  });
};

export const unsubscribedPage = ({ language }: { language: LanguageCode }): string => {
  const messages = mailMessagesFor(language);
  return renderPage({
    language,
    title: messages.pageUnsubscribedTitle,
    bodyHtml: paragraph(messages.pageUnsubscribedText),
  });
};

const languageOption = (code: string, selected: boolean): string =>
  `<option value="${escapeHtml(code)}" lang="${escapeHtml(code)}"${selected ? " selected" : ""}>${escapeHtml(singleLine(languageName(code)))}</option>`;

const seriesChoice = (series: { id: string; name: string }, checked: boolean): string =>
  `<label class="choice"><input type="checkbox" name="series" value="${escapeHtml(series.id)}"${checked ? " checked" : ""}> ${escapeHtml(singleLine(series.name))}</label>`;

/** The preferences form: the mail language and the wanted series (none ticked = all); it POSTs `token`, `language`, `series`. */
export const managePage = (input: ManagePageInput): string => {
  const messages = mailMessagesFor(input.language);
  const languageField = [
    `<p><label for="language">${escapeHtml(messages.pageManageLanguage)}</label>`,
    `<select id="language" name="language">`,
    ...input.languages.map((code) => languageOption(code, code === input.currentLanguage)),
    "</select></p>",
  ].join("\n");
  const wanted = new Set(input.currentSeries);
  const seriesField =
    input.allSeries.length === 0
      ? []
      : [
          `<fieldset aria-describedby="series-hint">`,
          `<legend>${escapeHtml(messages.pageManageSeries)}</legend>`,
          `<p class="hint" id="series-hint">${escapeHtml(messages.pageManageSeriesHint)}</p>`,
          ...input.allSeries.map((series) => seriesChoice(series, wanted.has(series.id))),
          "</fieldset>",
        ];
  return renderPage({
    language: input.language,
    title: messages.pageManageTitle,
    bodyHtml: postForm(
      input.actionUrl,
      [hiddenField("token", input.token), languageField, ...seriesField],
      messages.pageManageSave,
    ),
  });
};

export const manageSavedPage = ({ language }: { language: LanguageCode }): string => {
  const messages = mailMessagesFor(language);
  return renderPage({
    language,
    title: messages.pageManageSavedTitle,
    bodyHtml: paragraph(messages.pageManageSavedText),
  });
};

/** For forged, altered, expired or orphaned links; says what to do without saying which address it was for. */
export const invalidLinkPage = ({
  language,
  reason,
}: {
  language: LanguageCode;
  reason: InvalidLinkReason;
}): string => {
  const messages = mailMessagesFor(language);
  const expired = reason === "expired" || reason === "unknown-subscriber" || reason === "revoked";
  return renderPage({
    language,
    title: messages.pageInvalidTitle,
    bodyHtml: paragraph(expired ? messages.pageInvalidExpired : messages.pageInvalidBroken),
  });
};
