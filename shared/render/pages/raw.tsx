/**
 * The only places where a page inserts markup that JSX does not escape. Everything else on every
 * page goes through JSX, which escapes text and attribute values by default.
 */
import { sanitizeBodyHtml } from "../../domain/sanitize-html";
import { PAGE_CSS, PAGE_SCRIPT } from "./page-shell";

/** RAW INSERT: an event body, sanitised again with the allow-list on the way out. */
export const SanitisedBody = ({ html, lang }: { html: string; lang?: string }) => (
  <div class="body" lang={lang} dangerouslySetInnerHTML={{ __html: sanitizeBodyHtml(html) }} />
);

/**
 * JSON for a <script> element: `<`, `>` and `&` as \u escapes, so no `</script>` or `<!--` can end or
 * alter the element, and the line separators JavaScript once refused.
 */
export const scriptSafeJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** RAW INSERT: structured data (schema.org JSON-LD), made safe by scriptSafeJson. */
export const JsonLd = ({ data }: { data: unknown }) => (
  <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptSafeJson(data) }} />
);

/** RAW INSERT: our own stylesheet, a constant (its hash is in the CSP). */
export const PageStyle = () => <style dangerouslySetInnerHTML={{ __html: PAGE_CSS }} />;

/** RAW INSERT: our own script, a constant (its hash is in the CSP). */
export const PageScript = () => <script dangerouslySetInnerHTML={{ __html: PAGE_SCRIPT }} />;
