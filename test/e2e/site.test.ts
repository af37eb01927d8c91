/**
 * The public website in a real Chromium over the local stack: a reader's walk from the home page
 * to an event, across languages, through the subscribe form and the mails; accessibility on every
 * kind of page; structured data; no dead links; the pages without JavaScript; hostile editor text.
 */
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedOnFirstStart } from "../../local/seed";
import { SEED_EVENT, SEED_SERIES_ID } from "../../local/seed-data";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { launchBrowser, seriousAccessibilityViolations, watchConsole } from "../support/browser";
import { eventually } from "../support/eventually";
import { jsonOf } from "../support/http";
import { linkIn, mailsTo, type StoredMail, sentMails } from "../support/local-mail";

let stack: LocalStack;
let browser: Browser;
let base: string;

const HOSTILE = `</script><script>window.__pwned=1</script><!-- "&'<img src=x onerror="window.__pwned=2">`;

/** Links carry PUBLIC_URL (localhost); Node's fetch talks to the same front at its own address. */
const local = (link: string) => link.replace(stack.publicUrl, stack.url);

const asEditor = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return jsonOf(response);
};

const publish = async (event: Record<string, unknown>) => {
  const { id } = await asEditor("POST", "/api/admin/events", { ...SEED_EVENT, ...event });
  await asEditor("POST", `/api/admin/events/${id}/publish`);
  return id as string;
};

const UPCOMING = {
  slug: "cluster-day-kyiv",
  start: "2031-06-01T10:00:00",
  end: "2031-06-01T12:00:00",
  timeZone: "Europe/Kyiv",
  location: {
    type: "venue",
    name: "Innovation Hub",
    address: "1 Khreshchatyk St",
    city: "Kyiv",
    country: "UA",
  },
  translations: {
    en: { title: "Cluster day in Kyiv", summary: "A day for clusters." },
    uk: { title: "День кластерів у Києві", summary: "День для кластерів." },
  },
};

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  [stack, browser] = await Promise.all([startLocalStack({ port: 0, sesPort: 0 }), launchBrowser()]);
  base = stack.publicUrl;
  await seedOnFirstStart(stack.url, stack.adminToken);
  await publish(UPCOMING);
  const cancelled = await publish({
    slug: "cancelled-meetup",
    start: "2031-07-01",
    end: "2031-07-01",
    translations: { en: { title: "A meetup that will not happen" } },
  });
  await asEditor("POST", `/api/admin/events/${cancelled}/cancel`);
  await publish({
    slug: "hostile-text",
    start: "2031-08-01",
    end: "2031-08-01",
    agendaUrl: "https://example.org/agenda?a=1&b=<2>",
    moderator: { name: HOSTILE },
    speakers: [{ name: HOSTILE, role: HOSTILE, organisation: HOSTILE }],
    translations: {
      en: {
        title: HOSTILE,
        summary: HOSTILE,
        body: `<p onclick="window.__pwned=3">Body</p><script>window.__pwned=4</script><a href="javascript:window.__pwned=5">x</a>`,
      },
    },
  });
  await stack.drained();
  await eventually(async () => {
    const page = await (await fetch(`${stack.url}/en/events/hostile-text`)).text();
    expect(page).toContain("<h1>");
  }, 20_000);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A fresh tab that records console faults; the test asserts there were none. */
const openTab = async (options: { javaScript?: boolean; timeZone?: string; bypassCsp?: boolean } = {}) => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  if (options.bypassCsp) await page.setBypassCSP(true);
  await page.setJavaScriptEnabled(options.javaScript ?? true);
  if (options.timeZone) await page.emulateTimezone(options.timeZone);
  return { page, problems };
};

const visit = async (page: Page, url: string) => {
  const response = await page.goto(url, { waitUntil: "load" });
  return response?.status();
};

const text = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent ?? "");

const clickAndWait = async (page: Page, selector: string) => {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
};

const mailTo = async (address: string, subject: RegExp) =>
  eventually(async () => {
    const mail = (await mailsTo(stack.sesUrl, address)).find((candidate) => subject.test(candidate.subject));
    expect(mail, `a mail to ${address} matching ${subject}`).toBeDefined();
    return mail as StoredMail;
  }, 20_000);

describe("a reader on the website", () => {
  it("finds the seed event from the home page, switches language on it, subscribes with the form, confirms, manages and leaves", async () => {
    const { page, problems } = await openTab();
    expect(await visit(page, `${base}/`)).toBe(200);
    expect(await text(page, "h1")).toBe("Events");
    // The seed event is over (December 2020): the home page lists it under past events.
    await clickAndWait(page, `a[href="${base}/en/events/${SEED_EVENT.slug}"]`);
    expect(page.url()).toBe(`${base}/en/events/${SEED_EVENT.slug}`);
    expect(await text(page, "h1")).toBe(SEED_EVENT.translations.en?.title);
    expect(await text(page, ".banner.over")).toContain("This event is over.");

    await clickAndWait(page, 'nav.languages a[hreflang="ka"]');
    expect(page.url()).toBe(`${base}/ka/events/${SEED_EVENT.slug}`);
    expect(await text(page, "h1")).toBe(SEED_EVENT.translations.ka?.title);
    expect(await page.$eval("html", (html) => html.lang)).toBe("ka");

    // Subscribe with the form on the Georgian home page, headed with the programme's Georgian name.
    await visit(page, `${base}/ka/`);
    expect(await text(page, "h1")).toBe("ღონისძიებები");
    await page.type("#subscribe-email", "nino@example.org");
    expect(await page.$eval("#subscribe-language", (select) => (select as HTMLSelectElement).value)).toBe(
      "ka",
    );
    await clickAndWait(page, ".subscribe-box button[type=submit]");
    expect(await text(page, "h1")).toBe("შეამოწმეთ ელფოსტა");

    const confirmation = await mailTo("nino@example.org", /./);
    await visit(page, linkIn(confirmation, `${base}/api/subscriptions/confirm`));
    await clickAndWait(page, "main button[type=submit]");
    expect(await text(page, "h1")).toBe("გამოწერა დადასტურებულია");
    expect(await page.title()).toBe("გამოწერა დადასტურებულია — ღონისძიებები");
    expect(await text(page, ".site-title")).toBe("ღონისძიებები");
    // The API's pages look like the site: its header and navigation lead back to it.
    expect(await page.$eval(".site-title", (link) => (link as HTMLAnchorElement).href)).toBe(`${base}/ka/`);

    await visit(page, linkIn(confirmation, `${base}/api/subscriptions/manage`));
    await page.select("#language", "en");
    await clickAndWait(page, "main button[type=submit]");
    expect(await text(page, "h1")).toBe("Preferences saved");

    // An announcement arrives in the new language; its links lead to the event page and out.
    const title = "Open day for clusters";
    await publish({
      slug: "open-day",
      start: "2031-09-01",
      end: "2031-09-01",
      translations: { en: { title } },
    });
    const announcement = await mailTo("nino@example.org", new RegExp(title));
    // The announcer and the publisher both follow the stream: the mail may come a moment before the page.
    const eventLink = local(linkIn(announcement, `${base}/en/events/open-day`));
    await eventually(async () => expect((await fetch(eventLink)).status).toBe(200), 20_000);
    await visit(page, linkIn(announcement, `${base}/api/subscriptions/unsubscribe`));
    await clickAndWait(page, "main button[type=submit]");
    expect(await text(page, "h1")).toBe("You are unsubscribed");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows the reader's own time beside a timed event's when their zone differs, and not when it is the same", async () => {
    const elsewhere = await openTab({ timeZone: "America/New_York" });
    await visit(elsewhere.page, `${base}/en/events/${UPCOMING.slug}`);
    expect(await text(elsewhere.page, ".when")).toBe("1 June 2031, 10:00–12:00 EEST (Europe/Kyiv)");
    const own = await text(elsewhere.page, ".own-time");
    expect(own).toMatch(/^Your time: .*03:00.*05:00.*\(America\/New_York\)$/);
    const sameZone = await openTab({ timeZone: "Europe/Kyiv" });
    await visit(sameZone.page, `${base}/en/events/${UPCOMING.slug}`);
    expect(await sameZone.page.$(".own-time")).toBeNull();
    expect([...elsewhere.problems, ...sameZone.problems]).toEqual([]);
    await Promise.all([elsewhere.page.close(), sameZone.page.close()]);
  });

  it("works without JavaScript: the event page is complete and the subscribe form still answers", async () => {
    const { page, problems } = await openTab({ javaScript: false, timeZone: "America/New_York" });
    await visit(page, `${base}/uk/events/${UPCOMING.slug}`);
    expect(await text(page, "h1")).toBe("День кластерів у Києві");
    expect(await text(page, ".when")).toContain("10:00–12:00");
    expect(await page.$(".own-time")).toBeNull();
    expect(await page.$$eval(".calendar-links a", (links) => links.length)).toBe(3);
    expect(await page.$eval("#page-link", (input) => (input as HTMLInputElement).value)).toBe(
      `${base}/uk/events/${UPCOMING.slug}`,
    );
    await visit(page, `${base}/uk/subscribe/`);
    await page.type("#subscribe-email", "olena@example.org");
    await clickAndWait(page, "button[type=submit]");
    expect(await text(page, "h1")).toBe("Перевірте пошту");
    await visit(page, `${base}/uk/subscribe/`);
    await page.type("#subscribe-email", "not-an-address@x");
    await clickAndWait(page, "button[type=submit]");
    expect(await text(page, ".errors li")).toBe(
      "Введіть адресу електронної пошти, наприклад name@example.org.",
    );
    expect(await page.$eval("#subscribe-email", (input) => (input as HTMLInputElement).value)).toBe(
      "not-an-address@x",
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it("carries schema.org Event data a search engine can read on every event page", async () => {
    const { page } = await openTab();
    await visit(page, `${base}/en/events/${UPCOMING.slug}`);
    const data = await page.$$eval('script[type="application/ld+json"]', (scripts) =>
      scripts.map((script) => JSON.parse(script.textContent ?? "")),
    );
    expect(data).toEqual([
      expect.objectContaining({
        "@type": "Event",
        name: "Cluster day in Kyiv",
        startDate: "2031-06-01T10:00:00+03:00",
        endDate: "2031-06-01T12:00:00+03:00",
        eventStatus: "https://schema.org/EventScheduled",
        eventAttendanceMode: "https://schema.org/OfflineEventAttendanceMode",
        location: expect.objectContaining({
          "@type": "Place",
          address: expect.objectContaining({ addressLocality: "Kyiv" }),
        }),
        organizer: expect.objectContaining({ "@type": "Organization" }),
        url: `${base}/en/events/${UPCOMING.slug}`,
      }),
    ]);
    await visit(page, `${base}/en/events/cancelled-meetup`);
    const cancelled = await page.$eval('script[type="application/ld+json"]', (script) =>
      JSON.parse(script.textContent ?? ""),
    );
    expect(cancelled.eventStatus).toBe("https://schema.org/EventCancelled");
    expect(await text(page, ".banner.cancelled")).toBe("This event has been cancelled.");
    await page.close();
  });

  it("shows hostile editor text as text on every page that carries it, and runs none of it", async () => {
    const { page, problems } = await openTab();
    for (const url of [
      `${base}/en/events/hostile-text`,
      `${base}/en/`,
      `${base}/ka/`,
      `${base}/en/series/${SEED_SERIES_ID}/`,
    ]) {
      await visit(page, url);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.$$eval("script:not([type])", (scripts) => scripts.length)).toBeLessThanOrEqual(1);
      expect(await page.$$eval("img, [onclick], a[href^='javascript:']", (found) => found.length)).toBe(0);
    }
    await visit(page, `${base}/en/events/hostile-text`);
    expect(await text(page, "h1")).toBe(HOSTILE);
    expect(await text(page, ".summary")).toBe(HOSTILE);
    expect(await text(page, "#speakers + ul strong")).toBe(HOSTILE);
    expect(
      await page.$eval(
        ".facts a[href^='https://example.org/agenda']",
        (link) => (link as HTMLAnchorElement).href,
      ),
    ).toBe("https://example.org/agenda?a=1&b=%3C2%3E");
    const data = await page.$eval('script[type="application/ld+json"]', (script) =>
      JSON.parse(script.textContent ?? ""),
    );
    expect(data.name).toBe(HOSTILE);
    expect(data.performer[0].name).toBe(HOSTILE);
    expect(await page.title()).toBe(`${HOSTILE} — Events`.replace(/\s+/g, " "));
    expect(problems).toEqual([]);
    await page.close();
  });

  it("has no serious or critical accessibility violations on any kind of page", {
    timeout: 120_000,
  }, async () => {
    // axe is a script; the API's pages are sandboxed without scripts (and CSP is not what axe checks).
    const { page } = await openTab({ bypassCsp: true });
    // The check can fail: a page with an unlabelled image and no language is reported.
    await page.setContent('<!DOCTYPE html><html><body><img src="x.png"></body></html>');
    expect(await seriousAccessibilityViolations(page)).toContainEqual(expect.stringContaining("image-alt"));
    const pages = [
      `${base}/`,
      `${base}/ka/`,
      `${base}/en/past/`,
      `${base}/en/events/${UPCOMING.slug}`,
      `${base}/ka/events/${SEED_EVENT.slug}`,
      `${base}/en/events/cancelled-meetup`,
      `${base}/ru/series/${SEED_SERIES_ID}/`,
      `${base}/hy/subscribe/`,
      `${base}/be/404.html`,
      `${base}/no-such-page`,
      `${base}/api/subscriptions/confirm?token=forged`,
    ];
    const found: Record<string, string[]> = {};
    for (const url of pages) {
      await visit(page, url);
      found[url] = await seriousAccessibilityViolations(page);
    }
    // The form's answers and the pages behind a mail's links.
    await visit(page, `${base}/az/subscribe/`);
    await page.type("#subscribe-email", "aysel@example.org");
    await clickAndWait(page, "button[type=submit]");
    found["subscribe answer"] = await seriousAccessibilityViolations(page);
    const confirmation = await mailTo("aysel@example.org", /./);
    await visit(page, linkIn(confirmation, `${base}/api/subscriptions/confirm`));
    found.confirm = await seriousAccessibilityViolations(page);
    await clickAndWait(page, "main button[type=submit]");
    found.confirmed = await seriousAccessibilityViolations(page);
    await visit(page, linkIn(confirmation, `${base}/api/subscriptions/manage`));
    found.manage = await seriousAccessibilityViolations(page);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((key) => [key, []])));
    await page.close();
  });
});

describe("links and paths", () => {
  const hrefsIn = (body: string) =>
    [...body.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => (match[1] ?? "").replaceAll("&amp;", "&"));

  it("answers 200 for every link a page, a feed or a mail carries", async () => {
    const ours = (link: string) => link.replace(/^webcal:/, "http:").startsWith(base);
    const queue = [`${base}/`, ...["en", "ka", "uk"].map((language) => `${base}/${language}/`)];
    for (const feed of ["/feed.json", "/ka/feed.json", `/series/${SEED_SERIES_ID}/feed.json`]) {
      const json = await jsonOf(await fetch(`${stack.url}${feed}`));
      queue.push(json.home_page_url, ...json.items.map((item: { url: string }) => item.url));
    }
    const rss = await (await fetch(`${stack.url}/feed.xml`)).text();
    queue.push(...[...rss.matchAll(/<link>([^<]+)<\/link>/g)].map((match) => match[1] as string));
    // A confirmation mail of its own, so the mails' links are checked whatever ran before.
    await fetch(`${stack.url}/api/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "links@example.org", language: "ro" }),
    });
    await mailTo("links@example.org", /./);
    // Nino unsubscribed in the walk above, which revokes every link in her earlier mails (410) on purpose.
    const current = (await sentMails(stack.sesUrl)).filter(
      (mail) => !mail.destination.to.includes("nino@example.org"),
    );
    expect(current.length).toBeGreaterThan(0);
    for (const mail of current) queue.push(...hrefsIn(mail.body.html ?? "").filter(ours));

    const seen = new Set<string>();
    const dead: string[] = [];
    while (queue.length > 0 && seen.size < 3000) {
      const link = (queue.shift() as string).replace(/^webcal:/, "http:").split("#")[0] as string;
      if (seen.has(link) || !ours(link)) continue;
      seen.add(link);
      const response = await fetch(local(link), { redirect: "manual" });
      if (response.status !== 200) dead.push(`${response.status} ${link}`);
      if (response.headers.get("content-type")?.startsWith("text/html"))
        queue.push(...hrefsIn(await response.text()));
      else await response.arrayBuffer();
    }
    expect(dead).toEqual([]);
    expect(seen.size).toBeGreaterThan(50);
  });

  it("never shows a bucket listing, and answers odd paths with the 404 page, never a 5xx", async () => {
    const root = await fetch(`${stack.url}/`);
    expect(await root.text()).not.toContain("ListBucketResult");
    for (const path of [
      "/%00",
      `/${"a".repeat(5000)}`,
      "/%E0%A4%A",
      "/ka/events/no-such-event",
      "/ka/%00/x",
    ]) {
      const response = await fetch(`${stack.url}${path}`);
      expect(response.status, path.slice(0, 40)).toBe(404);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toContain("<h1>Page not found</h1>");
    }
    expect((await fetch(`${stack.url}/ka/`)).headers.get("cache-control")).toContain("must-revalidate");
    const posted = await fetch(`${stack.url}/feed.xml`, { method: "POST" });
    expect(posted.status).toBe(405);
    expect(posted.headers.get("allow")).toBe("GET, HEAD");
  });

  it("sends a folder typed without its slash to the folder, and an event page typed with one to the page", async () => {
    const eventPage = `/ka/events/${SEED_EVENT.slug}`;
    for (const [typed, location] of [
      ["/ka", "/ka/"],
      ["/ka/subscribe?series=ict-innovation-networking", "/ka/subscribe/?series=ict-innovation-networking"],
      ["/en/past", "/en/past/"],
      [`${eventPage}/`, eventPage],
    ]) {
      const response = await fetch(`${stack.url}${typed}`, { redirect: "manual" });
      expect(response.status, typed).toBe(301);
      expect(response.headers.get("location"), typed).toBe(location);
      expect((await fetch(`${stack.url}${location}`)).status, location).toBe(200);
    }
  });
});
