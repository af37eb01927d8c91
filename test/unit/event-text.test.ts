import { describe, expect, it } from "vitest";
import type { Person, Venue } from "../../shared/domain/event";
import { eventTextFor, personTextFor, venueTextFor } from "../../shared/domain/event-text";
import { lineHtml, lineText, personLine, venueLine } from "../../shared/render/people-places";

const ANNA: Person = {
  name: "Anna Pobol",
  role: "Head of ICT Innovation",
  translations: {
    ka: { name: "ანა პობოლი", role: "მიმართულების ხელმძღვანელი" },
    uk: { name: "Анна Побол" },
  },
};

const HUB: Venue = {
  type: "venue",
  name: "Innovation Hub",
  address: "1 Khreshchatyk St",
  city: "Kyiv",
  country: "UA",
  translations: { uk: { name: "Інноваційний хаб", address: "вул. Хрещатик, 1", city: "Київ" } },
};

describe("a person's text in a reader's language", () => {
  it("is the translation into the reader's language, whole", () => {
    expect(personTextFor(ANNA, "ka", "en")).toEqual({
      language: "ka",
      name: "ანა პობოლი",
      role: "მიმართულების ხელმძღვანელი",
    });
    // The Ukrainian translation has no role, so none is shown in Ukrainian: a translation is never mixed with another.
    expect(personTextFor(ANNA, "uk", "en")).toEqual({ language: "uk", name: "Анна Побол" });
  });

  it("falls back to the fields outside translations, which are the default language's text", () => {
    expect(personTextFor(ANNA, "ro", "en")).toEqual({
      language: "en",
      name: "Anna Pobol",
      role: "Head of ICT Innovation",
    });
    expect(personTextFor(ANNA, "en", "en")).toMatchObject({ language: "en", name: "Anna Pobol" });
  });

  it("falls back to the programme's default language, whichever it is, not to English", () => {
    expect(personTextFor(ANNA, "ro", "ka")).toMatchObject({ language: "ka", name: "ანა პობოლი" });
  });

  it("takes an editor's explicit translation into the default language over the fields outside translations", () => {
    const person: Person = { name: "Anna Pobol", translations: { en: { name: "Dr Anna Pobol" } } };
    expect(personTextFor(person, "ro", "en")).toEqual({ language: "en", name: "Dr Anna Pobol" });
  });

  it("is the untranslated text for a person written the old way, without translations", () => {
    const person: Person = { name: "Olga Shapoval", organisation: "Kharkiv IT Cluster", country: "UA" };
    expect(personTextFor(person, "ka", "en")).toEqual({
      language: "en",
      name: "Olga Shapoval",
      organisation: "Kharkiv IT Cluster",
    });
  });

  it("follows the same order as the event's own text: reader's language, default language, any", () => {
    const event = { slug: "e", translations: { ka: { title: "ქართული" }, uk: { title: "Українська" } } };
    expect(eventTextFor(event, "uk", "en").language).toBe("uk");
    expect(eventTextFor(event, "ro", "uk").language).toBe("uk");
    // Neither the reader's nor the default language: the first the record has, alphabetically.
    expect(eventTextFor(event, "ro", "en").language).toBe("ka");
    expect(eventTextFor({ slug: "e", translations: {} }, "ro", "en")).toEqual({ language: "en", title: "e" });
  });
});

describe("a venue's text in a reader's language", () => {
  it("is the translation into the reader's language, else the default language's", () => {
    expect(venueTextFor(HUB, "uk", "en")).toEqual({
      language: "uk",
      name: "Інноваційний хаб",
      address: "вул. Хрещатик, 1",
      city: "Київ",
    });
    expect(venueTextFor(HUB, "ka", "en")).toEqual({
      language: "en",
      name: "Innovation Hub",
      address: "1 Khreshchatyk St",
      city: "Kyiv",
    });
  });
});

describe("a person or venue on one line", () => {
  it("names the country in the reader's language, whatever language the text fell back to", () => {
    const line = venueLine(HUB, { language: "ka", defaultLanguage: "en" });
    expect(lineText(line)).toBe("Innovation Hub, 1 Khreshchatyk St, Kyiv, უკრაინა");
    expect(lineHtml(line)).toBe(
      '<span lang="en" dir="ltr">Innovation Hub, 1 Khreshchatyk St, Kyiv</span>, უკრაინა',
    );
  });

  it("marks nothing when the text is in the document's language", () => {
    const line = personLine(ANNA, { language: "ka", defaultLanguage: "en" });
    expect(lineHtml(line, { emphasiseFirst: true })).toBe(
      "<strong>ანა პობოლი</strong>, მიმართულების ხელმძღვანელი",
    );
  });

  it("compares with the document's own language, for a mail in English to a reader of a language it has no strings for", () => {
    const line = personLine(ANNA, { language: "de", defaultLanguage: "en", documentLanguage: "en" });
    expect(lineHtml(line)).toBe("Anna Pobol, Head of ICT Innovation");
  });

  it("escapes editors' text and keeps it on one line", () => {
    const person: Person = { name: 'A <b>"x"</b>', role: "R &\nBcc: y", organisation: "  " };
    const line = personLine(person, { language: "en", defaultLanguage: "en" });
    expect(lineText(line)).toBe('A <b>"x"</b>, R & Bcc: y');
    expect(lineHtml(line, { emphasiseFirst: true })).toBe(
      "<strong>A &lt;b&gt;&quot;x&quot;&lt;/b&gt;</strong>, R &amp; Bcc: y",
    );
  });
});
