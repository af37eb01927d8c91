import { describe, expect, it } from "vitest";
import { substitute } from "../../local/ses-server";
import type { StoredEvent } from "../../shared/domain/event";
import {
  type AnnouncementMailInput,
  oneClickUnsubscribeHeaders,
  renderAnnouncementMail,
} from "../../shared/render/mail/announcement-mail";
import { bulkTemplate, recipientValues } from "../../shared/render/mail/bulk-template";

const event: StoredEvent = {
  id: "e1",
  slug: "cluster-day",
  series: "ict",
  start: "2031-06-01",
  end: "2031-06-01",
  location: { type: "online", url: "https://example.org/live?a=1&b=2" },
  speakers: [{ name: "{{unsubscribeUrl}} & <b>Olga</b>" }],
  translations: { en: { title: "{{manageUrl}} <script>alert(1)</script> {{{x}}}", summary: "A & B" } },
  status: "published",
  createdAt: "2030-01-01T00:00:00Z",
  updatedAt: "2030-01-01T00:00:00Z",
  publishedAt: "2030-01-01T00:00:00Z",
  revision: 2,
};

const render = (
  links: { manageUrl: string; unsubscribeUrl: string },
  mailing: Pick<AnnouncementMailInput, "kind" | "previous" | "now"> = {},
) =>
  renderAnnouncementMail({
    ...mailing,
    event,
    language: "en",
    defaultLanguage: "en",
    links: {
      eventUrl: "https://example.org/en/events/cluster-day",
      calendarUrl: "https://example.org/api/events/e1/calendar.ics",
      ...links,
    },
    sender: { organisation: "EU4Digital", postalAddress: "1 Main St" },
  });

const KEYS = ["manageUrl", "unsubscribeUrl"] as const;
const links = {
  manageUrl: "https://example.org/api/subscriptions/manage?token=m.1&x=y",
  unsubscribeUrl: "https://example.org/api/subscriptions/unsubscribe?token=u.1",
};

describe("a mail rendered once for a bulk call", () => {
  const template = bulkTemplate(KEYS, render);

  it("holds nothing but variable references in its template parts", () => {
    for (const part of [template.subject, template.html, template.text]) {
      expect(part.replace(/\{\{\w+\}\}/g, "")).toBe("");
    }
    expect(template.html).toContain("{{unsubscribeUrlHtml}}");
    expect(template.text).toContain("{{unsubscribeUrl}}");
  });

  it("gives each recipient, after SES's substitution, exactly the mail rendered for them", () => {
    const values = recipientValues(template, links);
    const data = { ...template.data, ...values.data };
    const direct = render(links);

    expect(substitute(template.subject, data)).toBe(direct.subject);
    expect(substitute(template.html, data)).toBe(direct.html);
    expect(substitute(template.text, data)).toBe(direct.text);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...template.headers, ...values.headers].sort(byName)).toEqual([...direct.headers].sort(byName));
    // Only List-Unsubscribe differs per recipient; List-Unsubscribe-Post is the template's.
    expect(values.headers).toEqual(oneClickUnsubscribeHeaders(links.unsubscribeUrl).slice(0, 1));
    expect(template.attachments).toEqual(direct.attachments);
  });

  it("keeps editor text that looks like template syntax as escaped data, never as a variable", () => {
    const html = substitute(template.html, { ...template.data, ...recipientValues(template, links).data });
    expect(html).toContain("{{manageUrl}} &lt;script&gt;alert(1)&lt;/script&gt; {{{x}}}");
    expect(html).toContain("{{unsubscribeUrl}} &amp; &lt;b&gt;Olga&lt;/b&gt;");
    expect(Object.values(template.data).join("")).not.toContain("recipient.invalid");
  });

  it("escapes a recipient's value for the HTML part and leaves it raw in the text part and headers", () => {
    const { data } = recipientValues(template, links);
    expect(data.manageUrlHtml).toBe("https://example.org/api/subscriptions/manage?token=m.1&amp;x=y");
    expect(data.manageUrl).toBe(links.manageUrl);
  });

  it("carries a notice's and a reminder's subject, words and editor's title alike, as data only", () => {
    const mailings: Pick<AnnouncementMailInput, "kind" | "previous" | "now">[] = [
      { kind: "notice", previous: { ...event, start: "2031-05-30", end: "2031-05-30" } },
      { kind: "reminder", now: "2031-05-31T09:00:00Z" },
    ];
    for (const mailing of mailings) {
      const followUp = bulkTemplate(KEYS, (values) => render(values, mailing));
      expect(followUp.subject.replace(/\{\{\w+\}\}/g, "")).toBe("");
      const data = { ...followUp.data, ...recipientValues(followUp, links).data };
      const direct = render(links, mailing);
      expect(direct.subject).toMatch(/^(New date|Tomorrow): \{\{manageUrl\}\} <script>/);
      expect(substitute(followUp.subject, data)).toBe(direct.subject);
      expect(substitute(followUp.html, data)).toBe(direct.html);
      expect(substitute(followUp.html, data)).toContain(
        ": {{manageUrl}} &lt;script&gt;alert(1)&lt;/script&gt; {{{x}}}</title>",
      );
    }
  });

  it("refuses a recipient's value in an attachment, which every recipient shares", () => {
    expect(() =>
      bulkTemplate(KEYS, (values) => ({
        ...render(values),
        attachments: [{ fileName: "x.txt", contentType: "text/plain", content: values.manageUrl }],
      })),
    ).toThrow(/attachment/);
  });
});
