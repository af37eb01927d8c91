import { describe, expect, it } from "vitest";
import { INTERFACE_LANGUAGES } from "../../shared/render/i18n";
import { renderSitemap, robotsTxt } from "../../shared/render/pages/crawlers";
import { renderEventPage } from "../../shared/render/pages/event-page";
import { renderListingPage } from "../../shared/render/pages/listing-page";
import { siteMessagesFor } from "../../shared/render/pages/messages";
import { CACHE_CONTROL, planSiteFiles } from "../../shared/render/pages/plan-site-files";
import { scriptSafeJson } from "../../shared/render/pages/raw";
import type { SiteContext } from "../../shared/render/pages/site";
import { renderSubscribePage } from "../../shared/render/pages/subscribe-page";
import { SEED_SERIES, SEED_TITLE_EN, SEED_TITLE_KA, seedEvent, timedVenueEvent } from "./fixtures/seed-event";

const SITE: SiteContext = {
  siteUrl: "https://events.example.org",
  publicUrl: "https://events.example.org",
  languages: ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"],
  defaultLanguage: "en",
  feedTitle: "EU4Digital events",
  feedDescription: "Upcoming and past events",
  organisationName: "EU4Digital",
};
const BEFORE = new Date("2020-12-01T00:00:00Z");
const AFTER = new Date("2021-06-01T00:00:00Z");

/** The page's JSON-LD, parsed as a search engine would. */
const jsonLdOf = (html: string) => {
  const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  expect(scripts).toHaveLength(1);
  return JSON.parse(scripts[0]?.[1] ?? "");
};
const hrefs = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((match) => match[1]);
const decode = (text: string) => text.replaceAll("&amp;", "&");

describe("the event page", () => {
  const page = (changes = {}, language = "ka", now = BEFORE) =>
    renderEventPage({ site: SITE, event: seedEvent(changes), series: SEED_SERIES, language, now });

  it("names the moderator, the speakers and the venue in the page's language where editors wrote it", () => {
    const event = {
      moderator: {
        name: "Anna Pobol",
        role: "Head of ICT Innovation, EU4Digital",
        translations: { ka: { name: "ანა პობოლი", role: "EU4Digital-ის ხელმძღვანელი" } },
      },
      speakers: [
        {
          name: "Olga Shapoval",
          role: "Executive director",
          organisation: "Kharkiv IT Cluster",
          country: "UA",
          translations: { ka: { name: "ოლგა შაპოვალი", role: "აღმასრულებელი დირექტორი" } },
        },
      ],
      location: {
        type: "venue" as const,
        name: "Town Hall",
        city: "Tbilisi",
        country: "GE",
        translations: { ka: { name: "მერია", city: "თბილისი" } },
      },
    };
    const georgian = page(event, "ka");
    expect(georgian).toContain("<strong>ოლგა შაპოვალი</strong>, აღმასრულებელი დირექტორი, უკრაინა");
    expect(georgian).toContain("ანა პობოლი, EU4Digital-ის ხელმძღვანელი");
    expect(georgian).toContain("მერია, თბილისი, საქართველო");
    expect(jsonLdOf(georgian).performer[0]).toMatchObject({
      name: "ოლგა შაპოვალი",
      jobTitle: "აღმასრულებელი დირექტორი",
    });
    expect(jsonLdOf(georgian).location).toMatchObject({
      name: "მერია",
      address: { addressLocality: "თბილისი" },
    });
    // Where editors wrote no Georgian, the default language's text shows, marked as English.
    const fallback = page({ ...event, speakers: [{ ...event.speakers[0], translations: {} }] }, "ka");
    expect(fallback).toContain(
      '<span lang="en" dir="ltr"><strong>Olga Shapoval</strong>, Executive director, Kharkiv IT Cluster</span>, უკრაინა',
    );
    const english = page(event, "en");
    expect(english).toContain(
      "<strong>Olga Shapoval</strong>, Executive director, Kharkiv IT Cluster, Ukraine",
    );
    expect(english).toContain("Town Hall, Tbilisi, Georgia");
  });

  it("shows what the seed page shows, in the page's language", () => {
    const html = page();
    expect(html).toContain('<html lang="ka" dir="ltr">');
    expect(html).toContain(`<h1>${SEED_TITLE_KA}</h1>`);
    expect(html).toContain("14 დეკემბერი, 2020");
    expect(html).toContain('ონლაინ — <a href="https://example.org/live">');
    // The people as the seed page names them, in Georgian.
    expect(html).toContain(
      "<strong>ოლგა შაპოვალი</strong>, აღმასრულებელი დირექტორი, ხარკოვის საინფორმაციო ტექნოლოგიების კლასტერი, უკრაინა",
    );
    expect(html).toContain("ანა პობოლი, პროგრამის EU4Digital");
    expect(html).toContain('<a href="https://example.org/agenda.pdf">დღის წესრიგი</a>');
    expect(html).toContain(
      `<a href="https://events.example.org/ka/series/ict-innovation-networking/">${SEED_SERIES.translations.ka?.name}</a>`,
    );
  });

  it("links the translations that exist (and only those) as hreflang alternates, with x-default and a canonical URL", () => {
    const html = page();
    expect(hrefs(html, /<link rel="alternate" hreflang="([^"]+)"/g)).toEqual(["en", "ka", "x-default"]);
    expect(html).toContain(
      '<link rel="canonical" href="https://events.example.org/ka/events/ict-innovation-networking-3"/>',
    );
    expect(html).toContain(
      '<link rel="alternate" hreflang="x-default" href="https://events.example.org/en/events/ict-innovation-networking-3"/>',
    );
    // The language switch leads to the same event.
    expect(html).toContain(
      '<a href="https://events.example.org/en/events/ict-innovation-networking-3" hreflang="en" lang="en">English</a>',
    );
    expect(html).toContain(
      '<meta property="og:url" content="https://events.example.org/ka/events/ict-innovation-networking-3"/>',
    );
    expect(html).toContain('<meta name="twitter:card" content="summary"/>');
  });

  it("carries schema.org Event data with Google's required and recommended properties", () => {
    const data = jsonLdOf(page({}, "en"));
    expect(data).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Event",
      name: SEED_TITLE_EN,
      url: "https://events.example.org/en/events/ict-innovation-networking-3",
      startDate: "2020-12-14",
      endDate: "2020-12-14",
      eventStatus: "https://schema.org/EventScheduled",
      eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
      location: { "@type": "VirtualLocation", url: "https://example.org/live" },
      organizer: { "@type": "Organization", name: "EU4Digital", url: "https://events.example.org/" },
    });
    expect(data.description).toMatch(/\S/);
    expect(data.performer).toContainEqual({
      "@type": "Person",
      name: "Olga Shapoval",
      jobTitle: "Executive director",
      affiliation: { "@type": "Organization", name: "Kharkiv IT Cluster" },
    });
  });

  it("gives a timed event at a venue its UTC offset, a Place with a PostalAddress, and the reader's-time hook", () => {
    const html = renderEventPage({
      site: SITE,
      event: timedVenueEvent(),
      series: SEED_SERIES,
      language: "en",
      now: BEFORE,
    });
    expect(jsonLdOf(html)).toMatchObject({
      startDate: "2021-03-18T10:00:00+02:00",
      endDate: "2021-03-18T12:00:00+02:00",
      eventAttendanceMode: "https://schema.org/OfflineEventAttendanceMode",
      location: {
        "@type": "Place",
        name: "Innovation Hub",
        address: {
          "@type": "PostalAddress",
          streetAddress: "1 Khreshchatyk St",
          addressLocality: "Kyiv",
          addressCountry: "UA",
        },
      },
    });
    expect(html).toContain("18 March 2021, 10:00–12:00 EET (Europe/Kyiv)");
    expect(html).toContain(
      'data-event-zone="Europe/Kyiv" data-offset="120" data-start="2021-03-18T08:00:00Z" data-end="2021-03-18T10:00:00Z"',
    );
  });

  it("marks a cancelled event with a banner and EventCancelled, and a moved one as EventRescheduled", () => {
    const cancelled = page({ status: "cancelled", cancelledAt: "2020-12-10T00:00:00Z" }, "en");
    expect(cancelled).toContain('<p class="banner cancelled">This event has been cancelled.</p>');
    expect(jsonLdOf(cancelled).eventStatus).toBe("https://schema.org/EventCancelled");
    const moved = jsonLdOf(page({ previousStart: "2020-12-07" }, "en"));
    expect(moved).toMatchObject({
      eventStatus: "https://schema.org/EventRescheduled",
      previousStartDate: "2020-12-07",
    });
  });

  it("says an event is over only once it has ended, and links to the upcoming events", () => {
    const during = new Date("2020-12-14T15:00:00Z"); // started, not ended
    expect(page({}, "en", during)).not.toContain("This event is over.");
    const over = page({}, "en", AFTER);
    expect(over).toContain(
      'This event is over. <a href="https://events.example.org/en/">See the upcoming events</a>',
    );
  });

  it("adds to calendars with all-day kept all-day, and a timed event at its local time in its zone", () => {
    const allDay = page({}, "en");
    const google = decode(hrefs(allDay, /href="(https:\/\/calendar\.google\.com[^"]+)"/g)[0] ?? "");
    expect(new URL(google).searchParams.get("dates")).toBe("20201214/20201215");
    expect(new URL(google).searchParams.get("ctz")).toBeNull();
    const outlook = new URL(decode(hrefs(allDay, /href="(https:\/\/outlook\.live\.com[^"]+)"/g)[0] ?? ""));
    expect(Object.fromEntries(outlook.searchParams)).toMatchObject({
      startdt: "2020-12-14",
      enddt: "2020-12-15",
      allday: "true",
    });
    expect(allDay).toContain(
      `href="https://events.example.org/api/events/${seedEvent().id}/calendar.ics?lang=en"`,
    );

    const timed = renderEventPage({
      site: SITE,
      event: timedVenueEvent(),
      series: SEED_SERIES,
      language: "en",
      now: BEFORE,
    });
    const timedGoogle = new URL(
      decode(hrefs(timed, /href="(https:\/\/calendar\.google\.com[^"]+)"/g)[0] ?? ""),
    );
    expect(timedGoogle.searchParams.get("dates")).toBe("20210318T100000/20210318T120000");
    expect(timedGoogle.searchParams.get("ctz")).toBe("Europe/Kyiv");
    const timedOutlook = new URL(
      decode(hrefs(timed, /href="(https:\/\/outlook\.live\.com[^"]+)"/g)[0] ?? ""),
    );
    expect(timedOutlook.searchParams.get("startdt")).toBe("2021-03-18T08:00:00Z");
  });

  it("shares with plain links and loads no third-party script", () => {
    const html = page({}, "en");
    expect(html).toContain(
      'value="https://events.example.org/en/events/ict-innovation-networking-3" data-copy="Copy link"',
    );
    expect(html).toContain(
      "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fevents.example.org%2Fen%2Fevents%2Fict-innovation-networking-3",
    );
    expect(html).toContain('href="mailto:?subject=');
    expect(hrefs(html, /<script([^>]*)>/g)).toEqual([' type="application/ld+json"', ""]);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it("escapes hostile editor text everywhere, JSON-LD included", () => {
    const hostile = `</script><script>alert(1)</script><!-- "&'`;
    const html = renderEventPage({
      site: SITE,
      event: seedEvent({
        agendaUrl: "javascript:alert(1)",
        location: { type: "online", url: "javascript:alert(2)" },
        moderator: { name: hostile },
        speakers: [{ name: hostile, role: hostile, organisation: hostile }],
        translations: {
          en: {
            title: hostile,
            summary: hostile,
            body: `<p onclick="alert(3)">Hi</p><script>alert(4)</script><img src=x onerror=alert(5)><a href="javascript:alert(6)">x</a>`,
          },
        },
      }),
      series: { ...SEED_SERIES, translations: { en: { name: hostile } } },
      language: "en",
      now: BEFORE,
    });
    expect(html).not.toContain("alert(1)</script>");
    expect(html).not.toMatch(/<script>alert|javascript:|onclick|onerror|<img|<!-- /);
    expect(html).toContain("&lt;/script>&lt;script>alert(1)&lt;/script>&lt;!-- &quot;&amp;'");
    const data = jsonLdOf(html);
    expect(data.name).toBe(hostile);
    expect(data.performer[0].name).toBe(hostile);
    expect(data.location.url).toBe("https://events.example.org/en/events/ict-innovation-networking-3");
    expect(scriptSafeJson({ a: "</script><!--\u2028" })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}',
    );
  });
});

describe("the listings", () => {
  it("paginate with real links at stable URLs, rel=prev and rel=next in head and body", () => {
    const html = renderListingPage({
      site: SITE,
      language: "ka",
      kind: "past",
      page: 2,
      pageCount: 3,
      events: [],
      series: [],
    });
    expect(html).toContain('<link rel="prev" href="https://events.example.org/ka/past/"/>');
    expect(html).toContain('<link rel="next" href="https://events.example.org/ka/past/3/"/>');
    expect(html).toContain('<a rel="prev" href="https://events.example.org/ka/past/">წინა გვერდი</a>');
    expect(html).toContain('<a rel="next" href="https://events.example.org/ka/past/3/">შემდეგი გვერდი</a>');
    expect(html).toContain("გვერდი 2 / 3");
  });

  it("name the latest past events and each older month, never 'page 1 of 1', and link month to month", () => {
    const latest = renderListingPage({
      site: SITE,
      language: "en",
      kind: "past",
      page: 1,
      pageCount: 1,
      events: [],
      series: [],
      older: "2020-12",
    });
    expect(latest).not.toContain("Page 1 of 1");
    expect(latest).toContain('<li aria-current="page">Past events</li>');
    expect(latest).toContain(
      '<a rel="next" href="https://events.example.org/en/past/2020-12/">Next page</a>',
    );
    const month = renderListingPage({
      site: SITE,
      language: "en",
      kind: "past",
      page: 1,
      pageCount: 1,
      events: [],
      series: [],
      month: "2020-12",
    });
    expect(month).toContain('<li aria-current="page">December 2020</li>');
    expect(month).toContain('<a rel="prev" href="https://events.example.org/en/past/">Previous page</a>');
  });

  it("announce the language's feeds and calendar, with a webcal:// link", () => {
    const html = renderListingPage({
      site: SITE,
      language: "uk",
      kind: "upcoming",
      page: 1,
      pageCount: 1,
      events: [],
      series: [],
    });
    expect(html).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Стрічка RSS" href="https://events.example.org/uk/feed.xml"/>',
    );
    expect(html).toContain(
      'type="application/feed+json" title="Стрічка JSON Feed" href="https://events.example.org/uk/feed.json"/>',
    );
    expect(html).toContain(
      'type="text/calendar" title="Файл iCalendar" href="https://events.example.org/uk/events.ics"/>',
    );
    expect(html).toContain('<a href="webcal://events.example.org/uk/events.ics">');
    expect(html).toContain('<form method="post" action="/api/subscriptions/form">');
  });

  it("show each event's title, when, where, series and a cancelled mark, soonest first", () => {
    const files = planSiteFiles({
      events: [
        seedEvent({ id: "b", slug: "later", start: "2031-02-01", end: "2031-02-01" }),
        seedEvent({
          id: "a",
          slug: "sooner",
          start: "2031-01-01",
          end: "2031-01-01",
          status: "cancelled",
          cancelledAt: "2030-01-01T00:00:00Z",
        }),
      ],
      series: [SEED_SERIES],
      site: SITE,
      now: BEFORE,
    });
    const home = files.find((file) => file.key === "en/index.html")?.body ?? "";
    expect(home.indexOf("/en/events/sooner")).toBeLessThan(home.indexOf("/en/events/later"));
    expect(home).toContain('<span class="badge">Cancelled</span>');
    expect(home).toContain(
      '1 January 2031 · Online · <a href="https://events.example.org/en/series/ict-innovation-networking/">',
    );
    // An event without the page's language is listed in the language it has, and links there.
    const armenian = files.find((file) => file.key === "hy/index.html")?.body ?? "";
    expect(armenian).toContain(
      '<a href="https://events.example.org/en/events/later" lang="en" hreflang="en">',
    );
  });

  it("mark a venue and a series name shown in another language than the page's with that language", () => {
    const files = planSiteFiles({
      events: [
        seedEvent({
          location: { type: "venue", name: "Town Hall", city: "Tbilisi", country: "GE" },
        }),
      ],
      series: [SEED_SERIES],
      site: SITE,
      now: BEFORE,
    });
    const ukrainian = files.find((file) => file.key === "uk/index.html")?.body ?? "";
    expect(ukrainian).toContain('<span lang="en" dir="ltr">Town Hall, Tbilisi</span>, Грузія');
    expect(ukrainian).toContain(
      `<a href="https://events.example.org/uk/series/ict-innovation-networking/" lang="en" dir="ltr">${SEED_SERIES.translations.en?.name}</a>`,
    );
    expect(ukrainian).toMatch(
      /name="series" value="ict-innovation-networking"\/> <span lang="en" dir="ltr">/,
    );
    // In a language the series has, nothing is marked.
    const georgian = files.find((file) => file.key === "ka/index.html")?.body ?? "";
    expect(georgian).toContain(
      `<a href="https://events.example.org/ka/series/ict-innovation-networking/">${SEED_SERIES.translations.ka?.name}</a>`,
    );
  });
});

describe("the site's files", () => {
  const files = planSiteFiles({
    events: Array.from({ length: 25 }, (_, index) =>
      seedEvent({ id: `e${index}`, slug: `event-${index}`, publishedAt: "2020-12-01T09:00:00.000Z" }),
    ),
    series: [SEED_SERIES],
    site: SITE,
    now: AFTER,
  });
  const keys = files.map((file) => file.key);

  it("are every page in every language, at the keys CloudFront's directory index serves", () => {
    for (const language of SITE.languages) {
      expect(keys).toContain(`${language}/index.html`);
      expect(keys).toContain(`${language}/past/index.html`);
      expect(keys).toContain(`${language}/past/2/index.html`);
      expect(keys).toContain(`${language}/series/ict-innovation-networking/index.html`);
      expect(keys).toContain(`${language}/subscribe/index.html`);
      expect(keys).toContain(`${language}/404.html`);
    }
    expect(keys).toEqual(expect.arrayContaining(["index.html", "404.html", "robots.txt", "sitemap.xml"]));
    expect(keys).toContain("ka/events/event-0");
    expect(keys).not.toContain("hy/events/event-0"); // no Armenian translation, no Armenian page
    expect(keys).not.toContain("en/past/3/index.html");
  });

  it("serve pages as HTML revalidated on every view, and crawler files for an hour", () => {
    const page = files.find((file) => file.key === "ka/events/event-0");
    expect(page).toMatchObject({ contentType: "text/html; charset=utf-8", cacheControl: CACHE_CONTROL.page });
    expect(CACHE_CONTROL.page).toContain("must-revalidate");
    expect(files.find((file) => file.key === "sitemap.xml")?.cacheControl).toBe(CACHE_CONTROL.crawler);
  });

  it("render to the same bytes when nothing changed", () => {
    const again = planSiteFiles({
      events: Array.from({ length: 25 }, (_, index) =>
        seedEvent({ id: `e${index}`, slug: `event-${index}`, publishedAt: "2020-12-01T09:00:00.000Z" }),
      ),
      series: [SEED_SERIES],
      site: SITE,
      now: AFTER,
    });
    expect(again).toEqual(files);
  });

  it("list every page in the sitemap with hreflang alternates, and point robots at it", () => {
    const sitemap = files.find((file) => file.key === "sitemap.xml")?.body ?? "";
    expect(sitemap).toContain('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
    expect(sitemap).toContain(
      '<url><loc>https://events.example.org/en/events/event-0</loc><xhtml:link rel="alternate" hreflang="en" href="https://events.example.org/en/events/event-0"/><xhtml:link rel="alternate" hreflang="ka" href="https://events.example.org/ka/events/event-0"/><xhtml:link rel="alternate" hreflang="x-default" href="https://events.example.org/en/events/event-0"/></url>',
    );
    expect(robotsTxt(SITE)).toContain("Sitemap: https://events.example.org/sitemap.xml");
    expect(renderSitemap([{ url: "https://x.example/?a=1&b=<2>", alternates: [] }])).toContain(
      "<loc>https://x.example/?a=1&amp;b=&lt;2&gt;</loc>",
    );
  });
});

describe("the subscribe page", () => {
  it("asks for the address, the mail language (the page's by default) and the series", () => {
    const html = renderSubscribePage({ site: SITE, language: "ro", series: [{ id: "ict", name: "TIC" }] });
    expect(html).toContain('<input type="email" id="subscribe-email" name="email" required');
    expect(html).toContain('<option value="ro" lang="ro" selected>Română</option>');
    expect(html).toContain('<input type="checkbox" name="series" value="ict"/> TIC');
    expect(html).toContain('<input type="hidden" name="lang" value="ro"/>');
  });
});

describe("the site's interface strings", () => {
  it.each(INTERFACE_LANGUAGES)("are all there in %s, translated and without leftovers", (language) => {
    const messages = siteMessagesFor(language);
    for (const [key, text] of Object.entries(messages)) expect(text, `${language}.${key}`).toMatch(/\S/);
    if (language !== "en") expect(messages.upcomingEvents).not.toBe(siteMessagesFor("en").upcomingEvents);
  });
});
