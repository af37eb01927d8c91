import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  confirmedPage,
  confirmPage,
  invalidLinkPage,
  managePage,
  manageSavedPage,
  PAGE_CONTENT_SECURITY_POLICY,
  unsubscribedPage,
  unsubscribePage,
} from "../../shared/render/pages/subscription-pages";
import { SEED_SERIES } from "./fixtures/seed-event";

const TOKEN = "eyJwIjoidW5zdWJzY3JpYmUiLCJzIjoiYWJjIn0.c2lnbmF0dXJl";
const ACTION = "https://events.example.org/api/subscriptions/unsubscribe?token=abc";
const HOSTILE = `"><script>alert('x')</script>&`;
// Inside double-quoted attributes and text, `"`, `<` and `&` are what must be escaped.
const HOSTILE_ESCAPED = "&quot;>&lt;script>alert('x')&lt;/script>&amp;";

const MANAGE_INPUT = {
  language: "ka",
  token: TOKEN,
  actionUrl: "https://events.example.org/api/subscriptions/manage",
  currentLanguage: "ka",
  currentSeries: ["ict-innovation-networking"],
  currentReminders: true,
  allSeries: [
    { id: SEED_SERIES.id, name: SEED_SERIES.translations.ka?.name ?? "" },
    { id: "digital-skills", name: "ციფრული უნარები" },
  ],
  languages: ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"],
};

/** The fields a browser would submit from the page's form (hidden, selected and checked ones). */
const submittedFields = (html: string): [string, string][] => {
  const fields: [string, string][] = [];
  for (const match of html.matchAll(
    /<input type="(hidden|checkbox)" name="([^"]+)" value="([^"]*)"([^>]*)>/g,
  )) {
    if (match[1] === "hidden" || match[4]?.includes("checked")) fields.push([match[2] ?? "", match[3] ?? ""]);
  }
  const select = html.match(/<select[^>]* name="([^"]+)">([\s\S]*?)<\/select>/);
  const selected = select?.[2]?.match(/<option value="([^"]+)"[^>]* selected>/);
  if (select && selected) fields.push([select[1] ?? "", selected[1] ?? ""]);
  return fields;
};

const allPages = (language: string) => [
  confirmPage({ language, token: TOKEN, actionUrl: ACTION }),
  confirmedPage({ language }),
  unsubscribePage({ language, token: TOKEN, actionUrl: ACTION }),
  unsubscribedPage({ language }),
  managePage({ ...MANAGE_INPUT, language }),
  manageSavedPage({ language }),
  invalidLinkPage({ language, reason: "forged" }),
];

describe("subscription pages", () => {
  it("show the confirmation link's page as a button that POSTs the token, so a GET confirms nothing", () => {
    const html = confirmPage({ language: "en", token: TOKEN, actionUrl: ACTION });
    expect(html).toContain(`<form method="post" action="${ACTION}">`);
    expect(submittedFields(html)).toEqual([["token", TOKEN]]);
    expect(html).toContain('<button type="submit">Confirm subscription</button>');
  });

  it("show the unsubscribe link's page as a button that POSTs List-Unsubscribe=One-Click to the same URL", () => {
    const html = unsubscribePage({ language: "ru", token: TOKEN, actionUrl: ACTION });
    expect(html).toContain(`<form method="post" action="${ACTION}">`);
    expect(submittedFields(html)).toEqual([
      ["List-Unsubscribe", "One-Click"],
      ["token", TOKEN],
    ]);
    expect(html).toContain("Отписаться</button>");
  });

  it("let the subscriber pick the mail language and series, posting token, language and series", () => {
    const html = managePage(MANAGE_INPUT);
    expect(html).toContain(`<form method="post" action="${MANAGE_INPUT.actionUrl}">`);
    expect(submittedFields(html)).toEqual([
      ["token", TOKEN],
      ["reminders", "no"],
      ["reminders", "yes"],
      ["series", "ict-innovation-networking"],
      ["language", "ka"],
    ]);
    expect(html).toContain('<label for="language">წერილების ენა</label>');
    expect(html).toContain('<option value="uk" lang="uk">Українська</option>');
    expect(html).toContain("ციფრული უნარები");
    expect(html).toContain("თუ არცერთს არ მონიშნავთ");
  });

  it("leave every series unticked for a subscriber who wants all, and omit the series when there are none", () => {
    expect(submittedFields(managePage({ ...MANAGE_INPUT, currentSeries: [] })).map(([name]) => name)).toEqual(
      ["token", "reminders", "reminders", "language"],
    );
    expect(managePage({ ...MANAGE_INPUT, allSeries: [] })).not.toContain("<fieldset");
  });

  it('offer reminders ticked by default, and send only the hidden "no" once a subscriber unticked them', () => {
    const on = submittedFields(managePage({ ...MANAGE_INPUT, language: "en" }));
    expect(on.filter(([name]) => name === "reminders")).toEqual([
      ["reminders", "no"],
      ["reminders", "yes"],
    ]);
    expect(managePage({ ...MANAGE_INPUT, language: "en" })).toContain(
      "Remind me before each event I was told about",
    );
    const off = submittedFields(managePage({ ...MANAGE_INPUT, currentReminders: false }));
    expect(off.filter(([name]) => name === "reminders")).toEqual([["reminders", "no"]]);
  });

  it("answer a POST with a page that says what happened and has no form", () => {
    const pages = {
      "Subscription confirmed": confirmedPage({ language: "en" }),
      "You are unsubscribed": unsubscribedPage({ language: "en" }),
      "Preferences saved": manageSavedPage({ language: "en" }),
    };
    for (const [title, html] of Object.entries(pages)) {
      expect(html).toContain(`<h1>${title}</h1>`);
      expect(html).not.toContain("<form");
    }
    expect(unsubscribedPage({ language: "uk" })).toContain("Ви відписалися");
  });

  it("tell the holder of an expired link to subscribe again, and of a forged or altered one to reopen it", () => {
    expect(invalidLinkPage({ language: "en", reason: "expired" })).toContain("The link has expired");
    expect(invalidLinkPage({ language: "en", reason: "unknown-subscriber" })).toContain(
      "The link has expired",
    );
    for (const reason of ["forged", "malformed", "wrong-purpose"] as const) {
      const html = invalidLinkPage({ language: "ka", reason });
      expect(html).toContain("ეს ბმული არ მუშაობს");
      expect(html).toContain("ბმული არასრულია ან შეცვლილია");
      expect(html).not.toContain("<form");
    }
  });

  it("escape the token, the action URL, series ids and names", () => {
    const html = managePage({
      ...MANAGE_INPUT,
      token: HOSTILE,
      actionUrl: "https://events.example.org/api/manage?a=1&b=2",
      currentSeries: [HOSTILE],
      allSeries: [{ id: HOSTILE, name: `Series ${HOSTILE}` }],
    });
    expect(html).not.toContain("<script");
    expect(html).toContain(`name="token" value="${HOSTILE_ESCAPED}"`);
    expect(html).toContain(`name="series" value="${HOSTILE_ESCAPED}" checked`);
    expect(html).toContain(`Series ${HOSTILE_ESCAPED}`);
    expect(html).toContain('action="https://events.example.org/api/manage?a=1&amp;b=2"');
    expect(confirmPage({ language: "en", token: HOSTILE, actionUrl: "/api/confirm" })).toContain(
      `value="${HOSTILE_ESCAPED}"`,
    );
  });

  it("refuse a form target that is not a same-site path or an http(s) URL", () => {
    for (const actionUrl of ["javascript:alert(1)", "//evil.example/steal", "data:text/html,x"]) {
      expect(() => confirmPage({ language: "en", token: TOKEN, actionUrl })).toThrow(/actionUrl/);
    }
  });

  it("are localised, not indexed, send no referrer and run no script, in every language", () => {
    for (const language of MANAGE_INPUT.languages) {
      for (const html of allPages(language)) {
        expect(html).toMatch(/^<!DOCTYPE html>\n/);
        expect(html).toContain(`<html lang="${language}" dir="ltr">`);
        expect(html).toContain('<meta name="robots" content="noindex"/>');
        expect(html).toContain('<meta name="referrer" content="no-referrer"/>');
        expect(html).not.toMatch(/<script|javascript:|\son\w+=/i);
        expect(html).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it("fall back to English for a language without a dictionary", () => {
    const html = unsubscribePage({ language: "de", token: TOKEN, actionUrl: ACTION });
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("Unsubscribe</button>");
  });

  it("come with a Content-Security-Policy that allows exactly their style and same-origin forms", () => {
    const html = confirmedPage({ language: "en" });
    const css = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? "";
    const hash = createHash("sha256").update(css).digest("base64");
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("form-action 'self'");
    expect(html).not.toContain("style=");
  });
});
