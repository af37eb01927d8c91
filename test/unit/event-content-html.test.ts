import { describe, expect, it } from "vitest";
import { renderEventContentHtml } from "../../shared/render/feeds";
import { SEED_EVENT, SEED_SERIES, seedEvent, timedVenueEvent } from "./fixtures/seed-event";

const HOSTILE = `<script>alert(1)</script>`;

describe("renderEventContentHtml", () => {
  it("gives the summary, the body and the facts, with labels in the item's language", () => {
    const html = renderEventContentHtml(SEED_EVENT, SEED_SERIES, "ka", "en");
    expect(html).toContain(`<p>${SEED_EVENT.translations.ka?.summary}</p>`);
    expect(html).toContain("ვირტუალური ღონისძიების თემაა");
    expect(html).toContain("<strong>თარიღი:</strong> 14 დეკემბერი, 2020");
    expect(html).toContain(
      '<strong>ადგილი:</strong> ონლაინ — <a href="https://example.org/live">https://example.org/live</a>',
    );
    expect(html).toContain(
      "<strong>მოდერატორი:</strong> ანა პობოლი, პროგრამის EU4Digital საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების მიმართულების ხელმძღვანელი</li>",
    );
    expect(html).toContain(
      "<li><strong>ოლგა შაპოვალი</strong>, აღმასრულებელი დირექტორი, ხარკოვის საინფორმაციო ტექნოლოგიების კლასტერი, უკრაინა</li>",
    );
    expect(html).toContain(
      '<strong>დღის წესრიგი:</strong> <a href="https://example.org/agenda.pdf">https://example.org/agenda.pdf</a>',
    );
    expect(html).toContain(`<strong>სერია:</strong> ${SEED_SERIES.translations.ka?.name}`);
  });

  it("names people in the default language where the item's language has no text for them, and says so", () => {
    const html = renderEventContentHtml(SEED_EVENT, SEED_SERIES, "uk", "en");
    expect(html).toContain(
      '<strong>Модератор:</strong> <span lang="en" dir="ltr">Anna Pobol, Head of ICT Innovation, EU4Digital</span></li>',
    );
    // The country is named in the item's language, outside the span.
    expect(html).toContain(
      '<li><span lang="en" dir="ltr"><strong>Olga Shapoval</strong>, Executive director, Kharkiv IT Cluster</span>, Україна</li>',
    );
    expect(renderEventContentHtml(SEED_EVENT, SEED_SERIES, "en", "en")).not.toContain("lang=");
  });

  it("gives a venue in the item's language, and escapes hostile translated names, roles and addresses", () => {
    const event = timedVenueEvent({
      moderator: { name: "Host", translations: { ka: { name: `<b>${HOSTILE}</b>`, role: `"A" & 'B'` } } },
      speakers: [
        { name: "Speaker", country: "GE", translations: { ka: { name: HOSTILE, organisation: "]]>" } } },
      ],
    });
    if (event.location.type !== "venue") throw new Error("a venue event");
    event.location.translations = { ka: { name: `Hall <i>A</i>`, address: `1 "Rue" & Co`, city: "თბილისი" } };
    const html = renderEventContentHtml(event, SEED_SERIES, "ka", "en");
    expect(html).toContain(
      "<strong>ადგილი:</strong> Hall &lt;i&gt;A&lt;/i&gt;, 1 &quot;Rue&quot; &amp; Co, თბილისი, უკრაინა</li>",
    );
    expect(html).toContain(
      "<strong>მოდერატორი:</strong> &lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/b&gt;, &quot;A&quot; &amp; &#39;B&#39;</li>",
    );
    expect(html).toContain(
      "<li><strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>, ]]&gt;, საქართველო</li>",
    );
    expect(html).not.toMatch(/<script|<b>|<i>/);
  });

  it("lists the facts in the order date, place, moderator, speakers, agenda, series", () => {
    const html = renderEventContentHtml(SEED_EVENT, SEED_SERIES, "en", "en");
    const order = ["Date:", "Place:", "Moderator:", "Speakers:", "Agenda:", "Series:"].map((label) =>
      html.indexOf(`<strong>${label}</strong>`),
    );
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("drops scripts, embeds, objects, frames, styles and event handlers from the body", () => {
    const event = seedEvent();
    event.translations.en = {
      title: "Hostile body",
      body:
        `<p onclick="steal()">Hello</p>${HOSTILE}<img src=x onerror="alert(1)">` +
        `<iframe src="https://evil.example"></iframe><embed src="x.swf"><object data="x"></object>` +
        `<style>p{display:none}</style><p style="color:red">styled</p><svg onload="alert(1)"></svg>`,
    };
    const html = renderEventContentHtml(event, SEED_SERIES, "en", "en");
    for (const forbidden of [
      "<script",
      "alert(",
      "onerror",
      "onclick",
      "onload",
      "<iframe",
      "<embed",
      "<object",
      "<style",
      "style=",
      "<img",
      "<svg",
    ]) {
      expect(html).not.toContain(forbidden);
    }
    expect(html).toContain("<p>Hello</p>");
    expect(html).toContain("<p>styled</p>");
  });

  it("keeps only absolute http(s) and mailto links in the body, and only http(s) agenda and online links", () => {
    const event = seedEvent({
      agendaUrl: "javascript:alert(1)",
      location: { type: "online", url: "data:text/html,<script>alert(1)</script>" },
    });
    event.translations.en = {
      title: "Links",
      body: '<p><a href="javascript:alert(1)">js</a> <a href="/relative">rel</a> <a href="https://ok.example/a?b=1&amp;c=2">ok</a></p>',
    };
    const html = renderEventContentHtml(event, SEED_SERIES, "en", "en");
    expect(html).not.toMatch(/javascript:|data:|href="\/relative"/);
    expect(html).toContain('<a href="https://ok.example/a?b=1&amp;c=2">ok</a>');
    expect(html).toContain("<strong>Place:</strong> Online</li>");
    expect(html).not.toContain("Agenda:");
  });

  it("escapes every editor string outside the body: summary, moderator, speakers, venue", () => {
    const event = seedEvent({
      location: {
        type: "venue",
        name: `Hall "A" & <B>`,
        address: "1 Rue <de> l'Église",
        city: "Chișinău",
        country: "MD",
      },
      moderator: { name: `Eve ${HOSTILE}`, role: "Host & <i>guest</i>" },
      speakers: [{ name: `<img src=x onerror=alert(1)>`, role: "]]>", organisation: "A&B", country: "GE" }],
    });
    event.translations.en = { title: "Escaping", summary: `Tom & Jerry <b>${HOSTILE}</b>` };
    const html = renderEventContentHtml(event, SEED_SERIES, "en", "en");
    expect(html).toContain("<p>Tom &amp; Jerry &lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/b&gt;</p>");
    expect(html).toContain(
      "<strong>Place:</strong> Hall &quot;A&quot; &amp; &lt;B&gt;, 1 Rue &lt;de&gt; l&#39;Église, Chișinău, Moldova</li>",
    );
    expect(html).toContain("Eve &lt;script&gt;alert(1)&lt;/script&gt;, Host &amp; &lt;i&gt;guest&lt;/i&gt;");
    expect(html).toContain(
      "<li><strong>&lt;img src=x onerror=alert(1)&gt;</strong>, ]]&gt;, A&amp;B, Georgia</li>",
    );
    expect(html).not.toMatch(/<script|<img|<b>|<i>/);
  });

  it("marks a cancelled event before anything else, in the item's language", () => {
    const cancelled = seedEvent({ status: "cancelled", cancelledAt: "2020-12-10T10:00:00.000Z" });
    expect(renderEventContentHtml(cancelled, SEED_SERIES, "uk", "en")).toMatch(
      /^<p><strong>Скасовано<\/strong><\/p>/,
    );
    expect(renderEventContentHtml(SEED_EVENT, SEED_SERIES, "en", "en")).not.toContain("Cancelled");
  });

  it("shows a timed event in its zone", () => {
    const timed = seedEvent({
      start: "2021-03-18T10:00:00",
      end: "2021-03-18T12:00:00",
      timeZone: "Europe/Kyiv",
    });
    expect(renderEventContentHtml(timed, SEED_SERIES, "en", "en")).toContain(
      "<strong>Date:</strong> 18 March 2021, 10:00–12:00 EET (Europe/Kyiv)",
    );
  });
});
