import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/domain/event";
import { INTERFACE_LANGUAGES } from "../../shared/render/i18n";
import { type AnnouncementMailInput, renderAnnouncementMail } from "../../shared/render/mail";
import {
  SEED_EVENT,
  SEED_SERIES,
  SEED_TITLE_EN,
  SEED_TITLE_KA,
  seedEvent,
  timedVenueEvent,
} from "./fixtures/seed-event";

const LINKS = {
  eventUrl: "https://www.example.org/ka/events/ict-innovation-networking-3",
  calendarUrl: "https://events.example.org/api/events/01JDX7Q4K3V9S2M8N6P0R5T1W4/event.ics",
  manageUrl: "https://events.example.org/api/subscriptions/manage?token=manage.signature",
  unsubscribeUrl: "https://events.example.org/api/subscriptions/unsubscribe?token=unsub.signature",
};
const SENDER = { organisation: "EU4Digital", postalAddress: "Rue de la Loi 170, 1000 Brussels, Belgium" };

const mailFor = (changes: Partial<AnnouncementMailInput> = {}) =>
  renderAnnouncementMail({
    event: SEED_EVENT,
    seriesName: SEED_SERIES.translations.ka?.name,
    language: "ka",
    defaultLanguage: "en",
    links: LINKS,
    sender: SENDER,
    ...changes,
  });

const HOSTILE = `<script>alert("x")</script> & 'quotes'`;
const HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;";

const hostileEvent = (): StoredEvent => {
  const event = seedEvent({
    moderator: { name: `Mod ${HOSTILE}`, role: HOSTILE },
    speakers: [{ name: `Speaker ${HOSTILE}`, organisation: HOSTILE }],
    location: { type: "venue", name: `Hall ${HOSTILE}`, city: "Tbilisi" },
  });
  event.translations = { en: { title: `Title ${HOSTILE}`, summary: `Summary ${HOSTILE}` } };
  return event;
};

describe("renderAnnouncementMail", () => {
  it("writes a Georgian mail for a Georgian subscriber: Georgian title, labels, date and links", () => {
    const mail = mailFor();
    expect(mail.subject).toBe(SEED_TITLE_KA);
    expect(mail.html).toContain('<html lang="ka" dir="ltr">');
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain(SEED_TITLE_KA);
      expect(part).toContain(SEED_EVENT.translations.ka?.summary);
      expect(part).toContain("თარიღი");
      expect(part).toContain("14 დეკემბერი, 2020");
      expect(part).toContain("ონლაინ");
      expect(part).toContain("https://example.org/live");
      expect(part).toContain(
        "ანა პობოლი, პროგრამის EU4Digital საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების მიმართულების ხელმძღვანელი",
      );
      expect(part).toContain(
        "ოლგა შაპოვალი, აღმასრულებელი დირექტორი, ხარკოვის საინფორმაციო ტექნოლოგიების კლასტერი, უკრაინა",
      );
      expect(part).not.toContain("Olga Shapoval");
      expect(part).toContain("https://example.org/agenda.pdf");
      expect(part).toContain("კალენდარში დამატება");
      expect(part).toContain(SEED_SERIES.translations.ka?.name);
      expect(part).toContain("EU4Digital, Rue de la Loi 170, 1000 Brussels, Belgium");
    }
  });

  it("names the people in the default language for a subscriber whose language they have no text in, marked as such", () => {
    const mail = mailFor({ language: "ru", seriesName: "ICT innovation networking events" });
    expect(mail.html).toContain(
      '<strong>Модератор:</strong> <span lang="en" dir="ltr">Anna Pobol, Head of ICT Innovation, EU4Digital</span></p>',
    );
    // The country is the mail's own text, in Russian, outside the English span.
    expect(mail.html).toContain(
      '<li><span lang="en" dir="ltr">Olga Shapoval, Executive director, Kharkiv IT Cluster</span>, Украина</li>',
    );
    expect(mail.text).toContain("- Olga Shapoval, Executive director, Kharkiv IT Cluster, Украина\n");
    expect(mailFor().html).not.toMatch(/<(p|li|span)[^>]* lang=/);
  });

  it("gives a venue in the subscriber's language, else in the default language", () => {
    const event = timedVenueEvent();
    if (event.location.type !== "venue") throw new Error("a venue event");
    event.location.translations = {
      uk: { name: "Інноваційний хаб", address: "вул. Хрещатик, 1", city: "Київ" },
    };
    const ukrainian = mailFor({ event, language: "uk" });
    expect(ukrainian.text).toContain("Місце: Інноваційний хаб, вул. Хрещатик, 1, Київ, Україна\n");
    expect(ukrainian.html).toContain(
      "<strong>Місце:</strong> Інноваційний хаб, вул. Хрещатик, 1, Київ, Україна</p>",
    );
    const georgian = mailFor({ event, language: "ka" });
    expect(georgian.html).toContain(
      '<strong>ადგილი:</strong> <span lang="en" dir="ltr">Innovation Hub, 1 Khreshchatyk St, Kyiv</span>, უკრაინა</p>',
    );
  });

  it("escapes hostile translated names, roles, organisations and venues in both parts and the .ics", () => {
    const event = seedEvent({
      moderator: { name: "Mod", translations: { ka: { name: `Mod ${HOSTILE}`, role: `Role ${HOSTILE}` } } },
      speakers: [
        { name: "Sp", translations: { ka: { name: `Speaker ${HOSTILE}`, organisation: `Org ${HOSTILE}` } } },
      ],
      location: {
        type: "venue",
        name: "Hall",
        translations: { ka: { name: `Hall ${HOSTILE}`, address: `Street\r\nBcc: x` } },
      },
    });
    const mail = mailFor({ event });
    expect(mail.html).not.toContain("<script");
    for (const prefix of ["Mod", "Role", "Speaker", "Org", "Hall"]) {
      expect(mail.html).toContain(`${prefix} ${HOSTILE_ESCAPED}`);
      expect(mail.text).toContain(`${prefix} ${HOSTILE}`);
    }
    expect(mail.text).not.toMatch(/^Bcc:/m);
    expect(mail.text).toContain("Street Bcc: x");
    const ics = mail.attachments[0]?.content.replace(/\r\n /g, "") ?? "";
    expect(ics).toContain(`LOCATION:Hall <script>alert("x")</script> & 'quotes'\\, Street Bcc: x\r\n`);
    expect(ics).not.toMatch(/^Bcc:/m);
  });

  it("puts every link in both parts: add to calendar, event page, manage and unsubscribe", () => {
    const mail = mailFor();
    for (const url of Object.values(LINKS)) {
      expect(mail.html).toContain(`href="${url}"`);
      expect(mail.text).toContain(url);
    }
  });

  it("writes Russian interface text around the default language's event text when the event has no Russian", () => {
    const mail = mailFor({ language: "ru", seriesName: "ICT innovation networking events" });
    expect(mail.subject).toBe(SEED_TITLE_EN);
    expect(mail.html).toContain('<html lang="ru" dir="ltr">');
    expect(mail.html).toMatch(/<h1 lang="en" dir="ltr"[^>]*>Third ICT Innovation networking event/);
    for (const label of [
      "Новое мероприятие",
      "Дата",
      "Место",
      "Спикеры",
      "Добавить в календарь",
      "Отписаться",
    ]) {
      expect(mail.html).toContain(label);
      expect(mail.text).toContain(label);
    }
    expect(mail.text).toContain("14 декабря 2020");
    expect(mail.text).toContain(SEED_EVENT.translations.en?.summary);
  });

  it("falls back to the programme's default language, not to English, then to any language the event has", () => {
    expect(mailFor({ language: "uk", defaultLanguage: "ka" }).subject).toBe(SEED_TITLE_KA);
    const georgianOnly = seedEvent();
    georgianOnly.translations = { ka: SEED_EVENT.translations.ka ?? { title: "" } };
    expect(mailFor({ event: georgianOnly, language: "ro", defaultLanguage: "en" }).subject).toBe(
      SEED_TITLE_KA,
    );
  });

  it("writes an English mail for an English subscriber", () => {
    const mail = mailFor({ language: "en", seriesName: "ICT innovation networking events" });
    expect(mail.subject).toBe(SEED_TITLE_EN);
    expect(mail.text).toContain("Date: 14 December 2020");
    expect(mail.text).toContain("Place: Online — https://example.org/live");
    expect(mail.text).toContain("Moderator: Anna Pobol, Head of ICT Innovation, EU4Digital");
    expect(mail.text).toContain("- Andrei Kelemen, Executive director, ClujIT Cluster, Romania");
    expect(mail.text).toContain("Agenda: https://example.org/agenda.pdf");
    expect(mail.text).toContain(`Unsubscribe: ${LINKS.unsubscribeUrl}`);
    expect(mail.text).toContain(
      "You receive this email because you subscribed to event announcements from EU4Digital.",
    );
  });

  it("gives the date and time of a timed event in the event's zone, and a venue's address", () => {
    const mail = mailFor({
      language: "en",
      event: timedVenueEvent(),
    });
    expect(mail.text).toMatch(/Date: 18 March 2021, 10:00–12:00 .*Europe\/Kyiv/);
    expect(mail.text).toContain("Place: Innovation Hub, 1 Khreshchatyk St, Kyiv, Ukraine");
  });

  it("carries both RFC 8058 headers, pointing at this subscriber's unsubscribe URL", () => {
    expect(mailFor().headers).toEqual([
      { name: "List-Unsubscribe", value: `<${LINKS.unsubscribeUrl}>` },
      { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
    ]);
  });

  it("attaches the event as event.ics, published, in the subscriber's language", () => {
    const [attachment, ...others] = mailFor().attachments;
    expect(others).toHaveLength(0);
    expect(attachment?.fileName).toBe("event.ics");
    expect(attachment?.contentType).toBe("text/calendar; charset=utf-8; method=PUBLISH");
    expect(attachment?.content).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(attachment?.content).toContain("METHOD:PUBLISH\r\n");
    expect(attachment?.content).toContain(`UID:${SEED_EVENT.id}@eventcast\r\n`);
    const unfolded = attachment?.content.replace(/\r\n /g, "");
    expect(unfolded).toContain(`URL;VALUE=URI:${LINKS.eventUrl}\r\n`);
    expect(unfolded).toContain(`SUMMARY:${SEED_TITLE_KA}\r\n`);
  });

  it("escapes <script>, ampersands and quotes in titles, names, places, summaries, series and sender", () => {
    const mail = mailFor({
      event: hostileEvent(),
      language: "en",
      seriesName: `Series ${HOSTILE}`,
      sender: { organisation: `Org ${HOSTILE}`, postalAddress: `Street ${HOSTILE}` },
    });
    expect(mail.html).not.toContain("<script");
    expect(mail.html).not.toContain(`"x"`);
    for (const prefix of ["Title", "Summary", "Mod", "Speaker", "Hall", "Series", "Org", "Street"]) {
      expect(mail.html).toContain(`${prefix} ${HOSTILE_ESCAPED}`);
    }
    expect(mail.subject).toBe(`Title ${HOSTILE}`);
  });

  it("keeps a title with CR, LF or control characters on one line, so it can never become a header", () => {
    const event = seedEvent();
    event.translations = { en: { title: "Hello\r\nBcc: victim@example.org\u0000\u001b\u2028X-Evil: 1\t!" } };
    const mail = mailFor({ event, language: "en", seriesName: "Series\r\nX-Series: 1" });
    expect(mail.subject).toBe("Hello Bcc: victim@example.org X-Evil: 1 !");
    for (const header of mail.headers) {
      expect(`${header.name}${header.value}`).not.toMatch(/[\r\n\p{Cc}]/u);
    }
    expect(mail.html).not.toMatch(/[^\P{Cc}\n]/u);
    expect(mail.text).not.toMatch(/^(Bcc|X-Evil|X-Series):/m);
  });

  it("refuses links that are not absolute http(s) URLs instead of mailing them", () => {
    expect(() => mailFor({ links: { ...LINKS, unsubscribeUrl: "javascript:alert(1)" } })).toThrow(
      /unsubscribeUrl/,
    );
    expect(() => mailFor({ links: { ...LINKS, manageUrl: "/relative" } })).toThrow(/manageUrl/);
  });

  it("says so when the event was cancelled before its mail went out", () => {
    const mail = mailFor({ event: seedEvent({ status: "cancelled" }), language: "en" });
    expect(mail.subject).toBe(`Cancelled: ${SEED_TITLE_EN}`);
    expect(mail.text).toContain("\nThis event has been cancelled and will not take place.");
    expect(mail.attachments[0]?.content).toContain("STATUS:CANCELLED");
  });

  it("writes a change notice: what changed old → new, the current details and the .ics with the raised SEQUENCE", () => {
    const before = timedVenueEvent({ revision: 3 });
    const after = timedVenueEvent({ start: "2021-03-18T14:00", end: "2021-03-18T16:00", revision: 5 });
    const mail = mailFor({ kind: "notice", previous: before, event: after, language: "en" });
    expect(mail.subject).toBe(`New time: ${SEED_TITLE_EN}`);
    expect(mail.text.split("\n")[0]).toBe(`New time · ${SEED_SERIES.translations.ka?.name}`);
    expect(mail.text).toContain(
      "What changed:\n- Time: 18 March 2021 10:00–12:00 → 14:00–16:00 EET (Europe/Kyiv)",
    );
    expect(mail.html).toContain(
      "<strong>Time:</strong> 18 March 2021 10:00–12:00 → 14:00–16:00 EET (Europe/Kyiv)",
    );
    expect(mail.text).toContain("18 March 2021, 14:00–16:00 EET (Europe/Kyiv)");
    expect(mail.headers.map((header) => header.name)).toEqual(["List-Unsubscribe", "List-Unsubscribe-Post"]);
    const ics = mail.attachments[0]?.content ?? "";
    expect(ics).toContain("SEQUENCE:5");
    expect(ics).toContain("DTSTART;TZID=Europe/Kyiv:20210318T140000");
    expect(ics).toContain("STATUS:CONFIRMED");
  });

  it("writes the cancellation plainly, with an .ics that keeps the UID and says STATUS:CANCELLED", () => {
    const mail = mailFor({
      kind: "cancellation",
      event: seedEvent({ status: "cancelled", revision: 7 }),
      language: "uk",
    });
    expect(mail.subject).toBe(`Скасовано: ${SEED_TITLE_EN}`);
    expect(mail.text).toContain("Захід скасовано");
    expect(mail.text).toContain("Цей захід скасовано, і він не відбудеться.");
    const ics = mail.attachments[0]?.content ?? "";
    expect(ics).toContain("METHOD:PUBLISH");
    expect(ics).toContain("STATUS:CANCELLED");
    expect(ics).toContain("SEQUENCE:7");
    expect(ics).toContain(`UID:${SEED_EVENT.id}@eventcast`);
  });

  it("asks to update the calendar, not to add to it, in a notice and a cancellation, in every language", () => {
    const before = timedVenueEvent({ revision: 3 });
    const after = timedVenueEvent({ start: "2021-03-18T14:00", end: "2021-03-18T16:00", revision: 5 });
    const notice = mailFor({ kind: "notice", previous: before, event: after, language: "en" });
    expect(notice.text).toContain("\nUpdate your calendar: https://events.example.org/");
    expect(notice.text).toContain(
      "The updated event is attached to this email as a calendar file (event.ics): open it to update the entry in your calendar.",
    );
    expect(notice.html).toContain(">Update your calendar</a>");
    const cancellation = mailFor({
      kind: "cancellation",
      event: seedEvent({ status: "cancelled", revision: 7 }),
      language: "en",
    });
    expect(cancellation.text).toContain("\nUpdate your calendar: https://events.example.org/");
    // Its own sentence says what the attached file does: no second one about an attached "event".
    expect(cancellation.text).not.toContain("also attached");
    for (const language of INTERFACE_LANGUAGES) {
      const announcement = mailFor({ language });
      for (const mail of [
        mailFor({ kind: "notice", previous: before, event: after, language }),
        mailFor({ kind: "cancellation", event: seedEvent({ status: "cancelled" }), language }),
      ]) {
        const [calendarLine] = mail.text.split("\n").filter((line) => line.includes(LINKS.calendarUrl));
        const [announcedLine] = announcement.text
          .split("\n")
          .filter((line) => line.includes(LINKS.calendarUrl));
        expect(calendarLine, language).not.toBe(announcedLine);
      }
    }
  });

  it("leads a notice's subject and heading with what changed, in the subscriber's language", () => {
    const before = timedVenueEvent();
    const cases = [
      { language: "en", event: timedVenueEvent({ location: SEED_EVENT.location }), words: "Now online" },
      {
        language: "uk",
        event: timedVenueEvent({ start: "2021-03-25T10:00", end: "2021-03-25T12:00" }),
        words: "Нова дата",
      },
      {
        language: "ru",
        event: timedVenueEvent({
          start: "2021-03-25T14:00",
          end: "2021-03-25T16:00",
          location: SEED_EVENT.location,
        }),
        words: "Новые время и место",
      },
    ] as const;
    for (const { language, event, words } of cases) {
      const mail = mailFor({ kind: "notice", previous: before, event, language, seriesName: "ICT" });
      expect(mail.subject).toBe(`${words}: ${SEED_TITLE_EN}`);
      expect(mail.html).toContain(`>${words} · ICT</p>`);
      expect(mail.text.split("\n")[0]).toBe(`${words} · ICT`);
    }
  });

  it("leads a reminder's subject and heading with when the event is, from when it is sent", () => {
    const event = timedVenueEvent();
    const tomorrow = mailFor({ kind: "reminder", event, language: "en", now: "2021-03-17T08:00:00Z" });
    expect(tomorrow.subject).toBe(`Tomorrow at 10:00 EET: ${SEED_TITLE_EN}`);
    expect(tomorrow.html).toContain(">Tomorrow at 10:00 EET · ");
    expect(tomorrow.text.split("\n")[0]).toBe(`Tomorrow at 10:00 EET · ${SEED_SERIES.translations.ka?.name}`);
    const today = mailFor({ kind: "reminder", event, language: "uk", now: "2021-03-18T06:00:00Z" });
    expect(today.subject).toBe(`Сьогодні о 10:00 GMT+2: ${SEED_TITLE_EN}`);
    const allDay = mailFor({ kind: "reminder", language: "ka", now: "2020-12-13T09:00:00Z" });
    expect(allDay.subject).toBe(`ხვალ: ${SEED_TITLE_KA}`);
  });

  it("keeps editor text escaped and on one line in a notice's and a reminder's subject", () => {
    const event = hostileEvent();
    event.translations.en = { title: `Title ${HOSTILE}\r\nBcc: victim@example.org` };
    for (const mail of [
      mailFor({
        kind: "notice",
        previous: hostileEvent(),
        event: { ...event, start: "2020-12-15", end: "2020-12-15" },
        language: "en",
      }),
      mailFor({ kind: "reminder", event, language: "en", now: "2020-12-13T09:00:00Z" }),
    ]) {
      expect(mail.subject).toMatch(/^(New date|Tomorrow): Title <script>/);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.html).toContain(`<title>${mail.subject.split(":")[0]}: Title ${HOSTILE_ESCAPED} Bcc`);
      expect(mail.html).not.toContain("<script>");
    }
  });

  it("writes the reminder with the place and the .ics", () => {
    const mail = mailFor({
      kind: "reminder",
      language: "ro",
      event: timedVenueEvent(),
      now: "2021-03-17T08:00:00Z",
    });
    expect(mail.subject).toBe(`Mâine la ora 10:00 EET: ${SEED_TITLE_EN}`);
    expect(mail.text).toContain("Innovation Hub");
    expect(mail.attachments[0]?.fileName).toBe("event.ics");
  });

  it("renders in every interface language with no placeholder left unfilled", () => {
    for (const language of INTERFACE_LANGUAGES) {
      const mail = mailFor({ language });
      expect(mail.html).toContain(`<html lang="${language}" dir="ltr">`);
      expect(mail.html).not.toMatch(/\{\w+\}/);
      expect(mail.text).not.toMatch(/\{\w+\}/);
      expect(mail.text).toContain("EU4Digital");
    }
  });

  it("uses English interface text for a language without a dictionary", () => {
    const mail = mailFor({ language: "de" });
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.text).toContain("Add to calendar");
    expect(mail.subject).toBe(SEED_TITLE_EN);
  });
});
