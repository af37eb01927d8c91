/** Small helpers for writing HTML that contains editor text. */
import type { LanguageCode } from "../../domain/event";
import { textDirection } from "../mail/text-direction";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);

/** The URL, normalised, when it is an absolute http(s) URL; undefined for anything else (javascript:, data:, relative). */
export const httpUrl = (value: string | undefined): string | undefined => {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
};

/** An escaped link whose text is the escaped label (or the URL itself). */
export const htmlLink = (href: string, label: string = href): string =>
  `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

/** ` lang="…" dir="…"` when a piece of text is in another language than the document around it (a fallback translation). */
export const langAttribute = (textLanguage: LanguageCode, documentLanguage: LanguageCode): string =>
  textLanguage === documentLanguage
    ? ""
    : ` lang="${escapeHtml(textLanguage)}" dir="${textDirection(textLanguage)}"`;
