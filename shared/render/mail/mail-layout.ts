/**
 * The HTML shell and the small pieces both mails share. Mail clients drop <style> blocks and
 * ignore most layout CSS, so styles are inline and the layout is one plain column without tables.
 */
import type { LanguageCode } from "../../domain/event";
import { escapeHtml, httpUrl } from "../feeds/html";
import { interfaceLanguageFor } from "./messages";
import { singleLine, withoutControlChars } from "./plain-text";
import type { MailSender } from "./rendered-mail";
import { textDirection } from "./text-direction";

const FONT =
  "font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Georgian','Noto Sans Armenian',Arial,sans-serif";

export const MAIL_STYLE = {
  body: "margin:0;padding:0;background-color:#f3f4f6",
  column: `max-width:600px;margin:0 auto;padding:24px;background-color:#ffffff;color:#1f2937;${FONT};font-size:16px;line-height:1.5`,
  kicker: "margin:0 0 8px;color:#4b5563;font-size:14px",
  heading: "margin:0 0 16px;font-size:22px;line-height:1.3;color:#111827",
  paragraph: "margin:0 0 12px",
  factLabel: "margin:0 0 4px",
  list: "margin:0 0 12px;padding-left:20px",
  actions: "margin:20px 0 4px",
  cancelled: "margin:0 0 12px;color:#b91c1c;font-weight:bold",
  // Long links (tokens) wrap instead of widening the mail.
  link: "color:#1d4ed8;text-decoration:underline;overflow-wrap:anywhere;word-break:break-all",
  button:
    "display:inline-block;margin:0 8px 8px 0;padding:10px 16px;border-radius:4px;background-color:#1d4ed8;color:#ffffff;font-weight:bold;text-decoration:none",
  secondaryButton:
    "display:inline-block;margin:0 8px 8px 0;padding:9px 15px;border:1px solid #1d4ed8;border-radius:4px;color:#1d4ed8;font-weight:bold;text-decoration:none",
  rule: "margin:24px 0 16px;border:0;border-top:1px solid #e5e7eb",
  small: "margin:0 0 8px;color:#4b5563;font-size:13px",
} as const;

/** A link the mail builds itself must be absolute http(s); anything else is a wiring bug worth failing on. */
export const requireHttpUrl = (name: string, value: string): string => {
  const url = httpUrl(value);
  if (!url) throw new Error(`${name} must be an absolute http(s) URL`);
  return url;
};

/** Escaped editor or config text for HTML content: control characters removed, line breaks kept as spaces. */
export const htmlText = (text: string): string => escapeHtml(singleLine(text));

/** Escaped multi-line text for HTML content: control characters removed, line breaks as <br>. */
export const htmlParagraphText = (text: string): string =>
  withoutControlChars(text).trim().split("\n").map(escapeHtml).join("<br>");

export const mailLink = (href: string, label: string, style: string = MAIL_STYLE.link): string =>
  `<a href="${escapeHtml(href)}" style="${style}">${htmlText(label)}</a>`;

/** The sender's line every mail ends with. */
export const postalLine = (sender: MailSender): string =>
  [sender.organisation, sender.postalAddress].map(singleLine).filter(Boolean).join(", ");

/** A complete HTML document for a mail; `contentHtml` is already escaped. */
export const renderMailHtml = (input: {
  language: LanguageCode;
  title: string;
  contentHtml: string;
}): string => {
  const language = interfaceLanguageFor(input.language);
  return [
    "<!DOCTYPE html>",
    `<html lang="${language}" dir="${textDirection(language)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${htmlText(input.title)}</title>`,
    "</head>",
    `<body style="${MAIL_STYLE.body}">`,
    `<div style="${MAIL_STYLE.column}">`,
    input.contentHtml,
    "</div>",
    "</body>",
    "</html>",
  ].join("\n");
};
