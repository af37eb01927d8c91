/**
 * The double opt-in mail: one link to the confirmation page, when it stops working, and what
 * happens if the reader ignores it (nothing). No List-Unsubscribe: there is no subscription yet.
 */
import { DateTime } from "luxon";
import type { LanguageCode } from "../../domain/event";
import { intlLocaleFor } from "../i18n";
import { htmlText, MAIL_STYLE, mailLink, postalLine, renderMailHtml, requireHttpUrl } from "./mail-layout";
import { fill, interfaceLanguageFor, mailMessagesFor } from "./messages";
import { singleLine } from "./plain-text";
import type { MailSender, RenderedMail } from "./rendered-mail";

export interface ConfirmationMailInput {
  language: LanguageCode;
  confirmUrl: string;
  /** Every mail carries it: the language and series can be changed even before confirming. */
  manageUrl: string;
  /** ISO 8601 instant after which the link no longer confirms. */
  expiresAt: string;
  sender: MailSender;
}

/** The expiry in UTC, labelled as such: the reader's own zone is unknown to us. */
const formatExpiry = (expiresAt: string, language: LanguageCode): string => {
  const instant = DateTime.fromISO(expiresAt, { zone: "utc" });
  if (!instant.isValid) throw new Error(`expiresAt must be an ISO 8601 instant, got "${expiresAt}"`);
  return instant.setLocale(intlLocaleFor(language)).toLocaleString({
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
};

export const renderConfirmationMail = (input: ConfirmationMailInput): RenderedMail => {
  const language = interfaceLanguageFor(input.language);
  const messages = mailMessagesFor(language);
  const confirmUrl = requireHttpUrl("confirmUrl", input.confirmUrl);
  const manageUrl = requireHttpUrl("manageUrl", input.manageUrl);
  const organisation = singleLine(input.sender.organisation);
  const subject = singleLine(fill(messages.confirmSubject, { organisation }));
  const intro = fill(messages.confirmIntro, { organisation });
  const expires = fill(messages.confirmExpires, { date: formatExpiry(input.expiresAt, language) });

  const html = renderMailHtml({
    language,
    title: subject,
    contentHtml: [
      `<h1 style="${MAIL_STYLE.heading}">${htmlText(messages.confirmHeading)}</h1>`,
      `<p style="${MAIL_STYLE.paragraph}">${htmlText(intro)}</p>`,
      `<p style="${MAIL_STYLE.actions}">${mailLink(confirmUrl, messages.confirmButton, MAIL_STYLE.button)}</p>`,
      `<p style="${MAIL_STYLE.small}">${htmlText(messages.copyLink)}<br>${mailLink(confirmUrl, confirmUrl)}</p>`,
      `<p style="${MAIL_STYLE.paragraph}">${htmlText(expires)}</p>`,
      `<p style="${MAIL_STYLE.paragraph}">${htmlText(messages.confirmIgnore)}</p>`,
      `<hr style="${MAIL_STYLE.rule}">`,
      `<p style="${MAIL_STYLE.small}">${mailLink(manageUrl, messages.manage)}</p>`,
      `<p style="${MAIL_STYLE.small}">${htmlText(postalLine(input.sender))}</p>`,
    ].join("\n"),
  });
  const text = [
    messages.confirmHeading,
    "",
    intro,
    "",
    `${messages.confirmButton}: ${confirmUrl}`,
    "",
    expires,
    "",
    messages.confirmIgnore,
    "",
    "———",
    `${messages.manage}: ${manageUrl}`,
    postalLine(input.sender),
  ].join("\n");

  return { subject, html, text: `${text}\n`, headers: [], attachments: [] };
};

export interface AlreadySubscribedMailInput {
  language: LanguageCode;
  manageUrl: string;
  unsubscribeUrl: string;
  sender: MailSender;
}

/**
 * The answer to a subscription request for an address that is subscribed already: nothing
 * changed, and here is where to change language or series. Only the owner of the address sees it.
 */
export const renderAlreadySubscribedMail = (input: AlreadySubscribedMailInput): RenderedMail => {
  const language = interfaceLanguageFor(input.language);
  const messages = mailMessagesFor(language);
  const manageUrl = requireHttpUrl("manageUrl", input.manageUrl);
  const unsubscribeUrl = requireHttpUrl("unsubscribeUrl", input.unsubscribeUrl);
  const organisation = singleLine(input.sender.organisation);
  const subject = singleLine(fill(messages.alreadySubject, { organisation }));
  const text = fill(messages.alreadyText, { organisation });

  const html = renderMailHtml({
    language,
    title: subject,
    contentHtml: [
      `<h1 style="${MAIL_STYLE.heading}">${htmlText(messages.alreadyHeading)}</h1>`,
      `<p style="${MAIL_STYLE.paragraph}">${htmlText(text)}</p>`,
      `<p style="${MAIL_STYLE.actions}">${mailLink(manageUrl, messages.manage, MAIL_STYLE.button)}</p>`,
      `<hr style="${MAIL_STYLE.rule}">`,
      `<p style="${MAIL_STYLE.small}">${mailLink(unsubscribeUrl, messages.unsubscribe)}</p>`,
      `<p style="${MAIL_STYLE.small}">${htmlText(postalLine(input.sender))}</p>`,
    ].join("\n"),
  });
  const plain = [
    messages.alreadyHeading,
    "",
    text,
    "",
    `${messages.manage}: ${manageUrl}`,
    "",
    "———",
    `${messages.unsubscribe}: ${unsubscribeUrl}`,
    postalLine(input.sender),
  ].join("\n");

  return { subject, html, text: `${plain}\n`, headers: [], attachments: [] };
};
