/** Small, dependency-free helpers for writing HTML that contains editor text. */

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
