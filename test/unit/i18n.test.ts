import { describe, expect, it } from "vitest";
import {
  countryName,
  INTERFACE_LANGUAGES,
  intlLocaleFor,
  languageName,
  messagesFor,
  translate,
} from "../../shared/render/i18n";

describe("interface strings", () => {
  it.each(INTERFACE_LANGUAGES)("has every string in %s, none of them empty", (language) => {
    const messages = messagesFor(language);
    for (const key of Object.keys(messagesFor("en")) as (keyof typeof messages)[]) {
      expect(messages[key], `${language}.${key}`).toMatch(/\S/);
    }
  });

  it("translates the labels rather than repeating English", () => {
    expect(translate("ka", "date")).toBe("თარიღი");
    expect(translate("uk", "cancelled")).toBe("Скасовано");
    expect(translate("hy", "speakers")).toBe("Բանախոսներ");
  });

  it("falls back to English for a language without a dictionary", () => {
    expect(messagesFor("de")).toEqual(messagesFor("en"));
    expect(translate("de", "agenda")).toBe("Agenda");
  });

  it("names each language in that language", () => {
    expect(INTERFACE_LANGUAGES.map(languageName)).toEqual([
      "English",
      "ქართული",
      "Հայերեն",
      "Azərbaycan dili",
      "Беларуская",
      "Română",
      "Русский",
      "Українська",
    ]);
    expect(languageName("de")).toBe("Deutsch");
  });

  it("names countries in the reader's language and keeps what is not a country code", () => {
    expect(countryName("UA", "ka")).toBe("უკრაინა");
    expect(countryName("RO", "en")).toBe("Romania");
    expect(countryName("Moldova", "ro")).toBe("Moldova");
  });

  it("formats English the European way, day first", () => {
    expect(intlLocaleFor("en")).toBe("en-GB");
    expect(intlLocaleFor("ka")).toBe("ka");
  });
});
