import { describe, expect, it } from "vitest";
import { INTERFACE_LANGUAGES } from "../../shared/render/i18n";
import { fill, mailMessagesFor } from "../../shared/render/mail/messages";
import { singleLine, withoutControlChars } from "../../shared/render/mail/plain-text";

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "").sort();

describe("mail and page strings", () => {
  it("are translated in every interface language, with the same placeholders as the English", () => {
    const english = mailMessagesFor("en");
    for (const language of INTERFACE_LANGUAGES) {
      const messages = mailMessagesFor(language);
      for (const [key, englishText] of Object.entries(english)) {
        const text = messages[key as keyof typeof messages];
        expect(text.trim(), `${language}.${key}`).not.toBe("");
        expect(placeholders(text), `${language}.${key}`).toEqual(placeholders(englishText));
      }
    }
  });

  it("differ from the English in every other language for the sentences a reader must understand", () => {
    const english = mailMessagesFor("en");
    for (const language of INTERFACE_LANGUAGES.filter((code) => code !== "en")) {
      const messages = mailMessagesFor(language);
      for (const key of [
        "confirmIgnore",
        "pageUnsubscribeText",
        "pageManageSeriesHint",
        "whyYouGetThis",
        "calendarUpdateAttached",
        "noticeDate",
        "noticeTime",
        "noticeNowInPerson",
        "noticeTimeAndPlace",
        "reminderTomorrow",
        "reminderTodayAt",
      ] as const) {
        expect(messages[key], `${language}.${key}`).not.toBe(english[key]);
      }
    }
  });

  it("fill in named values and leave unknown placeholders visible", () => {
    expect(fill("{organisation}: confirm", { organisation: "EU4Digital" })).toBe("EU4Digital: confirm");
    expect(fill("until {date}", {})).toBe("until {date}");
  });
});

describe("plain text for line-based formats", () => {
  it("keeps line breaks as LF and drops every other control character", () => {
    expect(withoutControlChars("a\r\nb\rc\u0000d\u001be\tf\u0085g")).toBe("a\nb\ncde fg");
  });

  it("puts text on one line whatever breaks it contained", () => {
    expect(singleLine("  Hello\r\n Bcc:\u2028x\u2029y\u0085z\t ")).toBe("Hello Bcc: x y z");
  });
});
