/**
 * What every page carries besides its content: one stylesheet and one small script, both inline
 * (so a page is one file and the API's pages look the same without any asset), and the
 * Content-Security-Policy that allows exactly those two, same-origin forms and nothing else.
 */
import { createHash } from "node:crypto";

export const PAGE_CSS = [
  "*{box-sizing:border-box}",
  "body{margin:0;background:#f3f4f6;color:#1f2937;font:16px/1.5 -apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Georgian','Noto Sans Armenian',Arial,sans-serif}",
  "a{color:#1d4ed8}",
  "a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #b45309;outline-offset:2px}",
  ".skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}",
  ".skip:focus{left:.5rem}",
  ".site-header,.site-footer{max-width:52rem;margin:0 auto;padding:1rem 1.5rem}",
  ".site-title{font-weight:bold;font-size:1.25rem;color:#111827;text-decoration:none}",
  ".site-header nav ul,.site-footer ul,.languages ul,.share ul,.calendar-links ul,.pagination ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}",
  ".languages{font-size:.9rem}",
  "[aria-current]{font-weight:bold;color:#111827}",
  "main{max-width:52rem;margin:0 auto 2rem;padding:1.5rem;background:#fff;border-radius:8px}",
  "main.narrow{max-width:36rem}",
  "h1{margin:0 0 1rem;font-size:1.6rem;line-height:1.3;color:#111827}",
  "h2{margin:1.5rem 0 .5rem;font-size:1.2rem;color:#111827}",
  "p{margin:0 0 1rem}",
  ".events{list-style:none;margin:0;padding:0}",
  ".events>li{padding:.75rem 0;border-bottom:1px solid #e5e7eb}",
  ".events h2,.events h3{margin:0 0 .25rem;font-size:1.1rem}",
  ".meta{margin:0;color:#374151}",
  ".badge{display:inline-block;padding:0 .4rem;border-radius:4px;background:#fee2e2;color:#991b1b;font-weight:bold;font-size:.9rem}",
  ".banner{padding:.75rem 1rem;border-radius:4px;margin:0 0 1rem;font-weight:bold}",
  ".banner.cancelled{background:#fee2e2;color:#991b1b}",
  ".banner.over{background:#e5e7eb;color:#1f2937}",
  ".facts{margin:0 0 1rem}",
  ".facts dt{font-weight:bold}",
  ".facts dd{margin:0 0 .5rem}",
  ".own-time{color:#374151}",
  ".summary{font-size:1.1rem}",
  "label{display:block;font-weight:bold}",
  "input[type=email],input[type=text],select{font:inherit;padding:.4rem;max-width:100%;width:24rem;border:1px solid #6b7280;border-radius:4px}",
  "fieldset{margin:0 0 1rem;padding:.75rem 1rem;border:1px solid #d1d5db;border-radius:4px}",
  "legend{padding:0 .25rem;font-weight:bold}",
  ".choice{display:flex;gap:.5rem;align-items:baseline;margin:.25rem 0;font-weight:normal}",
  ".hint{color:#4b5563;font-size:.9rem}",
  ".errors{border:2px solid #991b1b;border-radius:4px;padding:.75rem 1rem;margin:0 0 1rem}",
  ".errors h2{margin-top:0;color:#991b1b}",
  "button{font:inherit;font-weight:bold;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}",
  ".subscribe-box{margin-top:2rem;padding-top:1rem;border-top:1px solid #e5e7eb}",
  // The honeypot: off screen and out of the tab order and the accessibility tree; bots fill it in.
  ".trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}",
].join("\n");

/**
 * Progressive enhancement only; every page is complete without it. It adds the reader's own time
 * beside an event's time when their zone differs, and a copy button beside the page link.
 */
export const PAGE_SCRIPT = `(function () {
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) {}
  document.querySelectorAll("[data-event-zone]").forEach(function (when) {
    var start = new Date(when.getAttribute("data-start"));
    var end = new Date(when.getAttribute("data-end"));
    // Same clock time as the event's zone (an alias such as Europe/Kiev included): nothing to add.
    if (-start.getTimezoneOffset() === Number(when.getAttribute("data-offset"))) return;
    var locale = when.getAttribute("data-locale");
    var format = { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
    var text;
    try { text = new Intl.DateTimeFormat(locale, format).formatRange(start, end); }
    catch (e) { text = start.toLocaleString(locale, format); }
    var own = document.createElement("p");
    own.className = "own-time";
    own.textContent = when.getAttribute("data-label") + ": " + text + (zone ? " (" + zone + ")" : "");
    when.insertAdjacentElement("afterend", own);
  });
  document.querySelectorAll("[data-copy]").forEach(function (field) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = field.getAttribute("data-copy");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = field.getAttribute("data-copied");
      });
    });
    field.insertAdjacentElement("afterend", button);
  });
})();`;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/**
 * The Content-Security-Policy of every page, static or from the API: nothing but this page's
 * own style and script, and forms posting to the same origin. (A stricter default, e.g.
 * `form-action 'none'` or `sandbox` without `allow-forms`, would stop the forms from working.)
 */
export const PAGE_CSP_DIRECTIVES: Record<string, string> = {
  "default-src": "'none'",
  "style-src": sha256(PAGE_CSS),
  "script-src": sha256(PAGE_SCRIPT),
  "form-action": "'self'",
  "base-uri": "'none'",
  "frame-ancestors": "'none'",
};

export const PAGE_CONTENT_SECURITY_POLICY = Object.entries(PAGE_CSP_DIRECTIVES)
  .map(([directive, value]) => `${directive} ${value}`)
  .join("; ");

export const PAGE_CONTENT_TYPE = "text/html; charset=utf-8";
