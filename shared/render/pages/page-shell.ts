/**
 * The one HTML shell of the subscription pages: no JavaScript, one <style> element, not indexed,
 * no referrer (the URL carries a token). The CSP allows exactly that style and same-origin forms.
 */
import { createHash } from "node:crypto";
import type { LanguageCode } from "../../domain/event";
import { escapeHtml } from "../feeds/html";
import { interfaceLanguageFor } from "../mail/messages";
import { singleLine } from "../mail/plain-text";
import { textDirection } from "../mail/text-direction";

const PAGE_CSS = [
  "body{margin:0;background:#f3f4f6;color:#1f2937;font:16px/1.5 -apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Georgian','Noto Sans Armenian',Arial,sans-serif}",
  "main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}",
  "h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.3;color:#111827}",
  "p{margin:0 0 1rem}",
  "label{display:block;font-weight:bold}",
  "select{font:inherit;padding:.4rem;max-width:100%}",
  "fieldset{margin:0 0 1rem;padding:.75rem 1rem;border:1px solid #d1d5db;border-radius:4px}",
  "legend{padding:0 .25rem;font-weight:bold}",
  ".choice{display:flex;gap:.5rem;align-items:baseline;margin:.25rem 0;font-weight:normal}",
  ".hint{color:#4b5563;font-size:.9rem}",
  "button{font:inherit;font-weight:bold;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}",
  "button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
].join("\n");

/**
 * The Content-Security-Policy to serve the pages with: nothing but this page's own style and
 * forms posting to the same origin. (A stricter default, e.g. `form-action 'none'` or `sandbox`
 * without `allow-forms`, would stop the confirm and unsubscribe buttons from working.)
 */
export const PAGE_CSP_DIRECTIVES: Record<string, string> = {
  "default-src": "'none'",
  "style-src": `'sha256-${createHash("sha256").update(PAGE_CSS).digest("base64")}'`,
  "form-action": "'self'",
  "base-uri": "'none'",
  "frame-ancestors": "'none'",
};

export const PAGE_CONTENT_SECURITY_POLICY = Object.entries(PAGE_CSP_DIRECTIVES)
  .map(([directive, value]) => `${directive} ${value}`)
  .join("; ");

export const PAGE_CONTENT_TYPE = "text/html; charset=utf-8";

export interface PageContent {
  /** The language asked for; English when there is no dictionary for it. */
  language: LanguageCode;
  /** Plain text: escaped here. */
  title: string;
  /** Escaped HTML of what goes under the heading. */
  bodyHtml: string;
}

/** A complete page around already-escaped content. */
export const renderPage = ({ language, title, bodyHtml }: PageContent): string => {
  const pageLanguage = interfaceLanguageFor(language);
  const heading = escapeHtml(singleLine(title));
  return [
    "<!DOCTYPE html>",
    `<html lang="${pageLanguage}" dir="${textDirection(pageLanguage)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${heading}</title>`,
    `<style>${PAGE_CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${heading}</h1>`,
    bodyHtml,
    "</main>",
    "</body>",
    "</html>",
  ].join("\n");
};
