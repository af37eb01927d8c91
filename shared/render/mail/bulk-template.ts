/**
 * A mail rendered once for a whole SES bulk call. SES substitutes `{{name}}` in an inline template
 * and escapes nothing, so no text of ours or of an editor may ever be part of the template: the
 * template holds only variable names, and every rendered piece (escaped by the renderer already)
 * travels as template data. The values that differ per recipient (their links) are rendered as
 * unguessable placeholders, then cut out into variables of their own.
 */
import { randomBytes } from "node:crypto";
import { escapeHtml } from "../feeds/html";
import type { MailAttachment, MailHeader, RenderedMail } from "./rendered-mail";

export interface BulkTemplate<K extends string> {
  /** Template parts: nothing but `{{variable}}` references. */
  subject: string;
  html: string;
  text: string;
  /** The rendered pieces, the same for every recipient. */
  data: Record<string, string>;
  /** Headers the same for everyone. */
  headers: MailHeader[];
  /** Headers that carry a recipient's value, with its placeholder in it. */
  recipientHeaders: MailHeader[];
  attachments: MailAttachment[];
  placeholders: Record<K, string>;
}

/** A recipient's template data and headers. */
export interface RecipientValues {
  data: Record<string, string>;
  headers: MailHeader[];
}

/** The variable of a recipient value in the HTML part, where it appears escaped. */
const htmlVariable = (key: string) => `${key}Html`;

/**
 * Cuts the placeholders out of one rendered part: the pieces between them become data
 * (`html0`, `html1`…), the placeholders become the recipient's variables.
 */
const cutPart = (
  part: "subject" | "html" | "text",
  rendered: string,
  placeholders: [key: string, placeholder: string][],
  data: Record<string, string>,
): string => {
  let template = "";
  let rest = rendered;
  let pieces = 0;
  const piece = (text: string) => {
    if (!text) return;
    const name = `${part}${pieces++}`;
    data[name] = text;
    template += `{{${name}}}`;
  };
  for (;;) {
    let next: { at: number; key: string; length: number } | undefined;
    for (const [key, placeholder] of placeholders) {
      const at = rest.indexOf(placeholder);
      if (at >= 0 && (!next || at < next.at)) next = { at, key, length: placeholder.length };
    }
    if (!next) break;
    piece(rest.slice(0, next.at));
    template += `{{${part === "html" ? htmlVariable(next.key) : next.key}}}`;
    rest = rest.slice(next.at + next.length);
  }
  piece(rest);
  return template;
};

/**
 * Renders the mail once, with a placeholder for each of `keys`, and turns it into a bulk template.
 * The placeholders are absolute URLs under a random path, so they pass the renderer's link checks
 * and no editor text can contain one by chance.
 */
export const bulkTemplate = <K extends string>(
  keys: readonly K[],
  render: (values: Record<K, string>) => RenderedMail,
): BulkTemplate<K> => {
  const nonce = randomBytes(12).toString("hex");
  const placeholders = Object.fromEntries(
    keys.map((key) => [key, `https://recipient.invalid/${nonce}/${key}`]),
  ) as Record<K, string>;
  const mail = render(placeholders);
  const entries = Object.entries(placeholders) as [K, string][];
  const data: Record<string, string> = {};
  const template = {
    subject: cutPart("subject", mail.subject, entries, data),
    html: cutPart(
      "html",
      mail.html,
      entries.map(([key, placeholder]) => [key, escapeHtml(placeholder)]),
      data,
    ),
    text: cutPart("text", mail.text, entries, data),
  };
  if (mail.attachments.some((attachment) => attachment.content.includes(nonce))) {
    throw new Error("A recipient's value would be in an attachment, which every recipient shares");
  }
  return {
    ...template,
    data,
    headers: mail.headers.filter((header) => !header.value.includes(nonce)),
    recipientHeaders: mail.headers.filter((header) => header.value.includes(nonce)),
    attachments: mail.attachments,
    placeholders,
  };
};

/** One recipient's data (raw for text and headers, escaped for HTML) and headers. */
export const recipientValues = <K extends string>(
  template: BulkTemplate<K>,
  values: Record<K, string>,
): RecipientValues => {
  const entries = Object.entries(template.placeholders) as [K, string][];
  const data: Record<string, string> = {};
  for (const [key] of entries) {
    data[key] = values[key];
    data[htmlVariable(key)] = escapeHtml(values[key]);
  }
  const headers = template.recipientHeaders.map((header) => ({
    name: header.name,
    value: entries.reduce(
      (value, [key, placeholder]) => value.replaceAll(placeholder, values[key]),
      header.value,
    ),
  }));
  return { data, headers };
};
