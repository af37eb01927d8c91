import { describe, expect, it } from "vitest";
import type { MaterialFacts } from "../../shared/domain/material-change";
import { INTERFACE_LANGUAGES } from "../../shared/render/i18n";
import {
  eventToday,
  noticeHeadline,
  reminderHeadline,
  reminderWords,
} from "../../shared/render/mail/follow-up-headlines";
import { mailMessagesFor } from "../../shared/render/mail/messages";

const HALL: MaterialFacts["location"] = { type: "venue", name: "Innovation Hub", city: "Kyiv" };
const LIVE: MaterialFacts["location"] = { type: "online", url: "https://example.org/live" };
const KYIV: MaterialFacts = {
  start: "2021-03-18T10:00",
  end: "2021-03-18T12:00",
  timeZone: "Europe/Kyiv",
  location: HALL,
};
const ALL_DAY: MaterialFacts = { start: "2020-12-14", end: "2020-12-14", location: LIVE };
const moved = (changes: Partial<MaterialFacts>, from = KYIV): MaterialFacts => ({ ...from, ...changes });

describe("what a notice's subject says changed", () => {
  it("names a new date when the event moved to another day at the same hours", () => {
    expect(noticeHeadline(KYIV, moved({ start: "2021-03-19T10:00", end: "2021-03-19T12:00" }))).toBe(
      "noticeDate",
    );
    expect(noticeHeadline(ALL_DAY, moved({ start: "2020-12-15", end: "2020-12-16" }, ALL_DAY))).toBe(
      "noticeDate",
    );
  });

  it("names a new time when only the hours or the zone changed on the same day", () => {
    expect(noticeHeadline(KYIV, moved({ start: "2021-03-18T14:00", end: "2021-03-18T16:00" }))).toBe(
      "noticeTime",
    );
    expect(noticeHeadline(KYIV, moved({ end: "2021-03-18T13:00" }))).toBe("noticeTime");
    expect(noticeHeadline(KYIV, moved({ timeZone: "Asia/Tbilisi" }))).toBe("noticeTime");
    // An all-day event that now has hours on the same day.
    expect(
      noticeHeadline(ALL_DAY, moved({ start: "2020-12-14T10:00", end: "2020-12-14T12:00" }, ALL_DAY)),
    ).toBe("noticeTime");
  });

  it("names both when the day and the hours changed", () => {
    expect(noticeHeadline(KYIV, moved({ start: "2021-03-20T15:00", end: "2021-03-20T17:00" }))).toBe(
      "noticeDateTime",
    );
  });

  it("tells a new venue, a new link, and a move online or back in person apart", () => {
    expect(noticeHeadline(KYIV, moved({ location: { ...HALL, name: "Hall B" } }))).toBe("noticeVenue");
    expect(
      noticeHeadline(
        moved({ location: LIVE }),
        moved({ location: { type: "online", url: "https://example.org/room-2" } }),
      ),
    ).toBe("noticeOnlineLink");
    expect(noticeHeadline(KYIV, moved({ location: LIVE }))).toBe("noticeNowOnline");
    expect(noticeHeadline(moved({ location: LIVE }), KYIV)).toBe("noticeNowInPerson");
  });

  it("says time and place when both changed, and only 'Changed' when nothing material did", () => {
    expect(
      noticeHeadline(KYIV, moved({ start: "2021-03-18T14:00", end: "2021-03-18T16:00", location: LIVE })),
    ).toBe("noticeTimeAndPlace");
    expect(noticeHeadline(KYIV, { ...KYIV })).toBe("changedSubject");
  });

  it("has the words in every language, short enough to leave the title room in a phone's subject line", () => {
    for (const language of INTERFACE_LANGUAGES) {
      const messages = mailMessagesFor(language);
      for (const key of [
        "noticeDate",
        "noticeTime",
        "noticeDateTime",
        "noticeVenue",
        "noticeOnlineLink",
        "noticeNowOnline",
        "noticeNowInPerson",
        "noticeTimeAndPlace",
      ] as const) {
        expect(messages[key].length, `${language}.${key}`).toBeLessThanOrEqual(25);
      }
    }
  });
});

describe("when a reminder says the event is", () => {
  it("says tomorrow, with the start time and zone, the lead time before a timed event", () => {
    const today = eventToday(KYIV, "2021-03-17T08:00:00Z");
    expect(today).toBe("2021-03-17");
    expect(reminderHeadline(KYIV, today)).toEqual({ day: "tomorrow", withYear: false, timed: true });
    expect(reminderWords(KYIV, today, mailMessagesFor("en"), "en")).toBe("Tomorrow at 10:00 EET");
    expect(reminderWords(KYIV, today, mailMessagesFor("uk"), "uk")).toBe("Завтра о 10:00 GMT+2");
    expect(reminderWords(KYIV, today, mailMessagesFor("ro"), "ro")).toBe("Mâine la ora 10:00 EET");
  });

  it("says today when it is sent on the event's day, judged in the event's zone, not in UTC", () => {
    // 22:30 UTC on the 17th is already 00:30 on the 18th in Kyiv.
    const today = eventToday(KYIV, "2021-03-17T22:30:00Z");
    expect(reminderWords(KYIV, today, mailMessagesFor("en"), "en")).toBe("Today at 10:00 EET");
    expect(reminderWords(KYIV, today, mailMessagesFor("ru"), "ru")).toBe("Сегодня в 10:00 GMT+2");
  });

  it("says the date further ahead, with the year only when the date is more than half a year away", () => {
    const messages = mailMessagesFor("en");
    expect(reminderWords(KYIV, "2021-03-14", messages, "en")).toBe("On 18 March at 10:00 EET");
    expect(reminderWords(KYIV, "2020-06-01", messages, "en")).toBe("On 18 March 2021 at 10:00 EET");
    const newYear = moved({ start: "2022-01-02T09:30", end: "2022-01-02T11:00", timeZone: "Asia/Tbilisi" });
    expect(reminderWords(newYear, "2021-12-25", messages, "en")).toBe("On 2 January at 09:30 GMT+4");
  });

  it("says an all-day event's day without a time: tomorrow at 09:00 the day before, in its zone", () => {
    const tbilisi = { ...ALL_DAY, timeZone: "Asia/Tbilisi" };
    // 05:00 UTC is 09:00 in Tbilisi on the 13th, the day before.
    const today = eventToday(tbilisi, "2020-12-13T05:00:00Z");
    expect(reminderHeadline(tbilisi, today)).toEqual({ day: "tomorrow", withYear: false, timed: false });
    expect(reminderWords(tbilisi, today, mailMessagesFor("en"), "en")).toBe("Tomorrow");
    expect(reminderWords(tbilisi, today, mailMessagesFor("ka"), "ka")).toBe("ხვალ");
    expect(reminderWords(tbilisi, "2020-12-14", mailMessagesFor("be"), "be")).toBe("Сёння");
    expect(reminderWords(tbilisi, "2020-12-10", mailMessagesFor("ro"), "ro")).toBe("Pe 14 decembrie");
  });

  it("has the words in every language, each naming the time or the date it is given", () => {
    for (const language of INTERFACE_LANGUAGES) {
      const messages = mailMessagesFor(language);
      const tomorrow = reminderWords(KYIV, "2021-03-17", messages, language);
      expect(tomorrow, language).toContain("10:00");
      expect(tomorrow, language).not.toBe(reminderWords(KYIV, "2021-03-18", messages, language));
      expect(reminderWords(KYIV, "2021-03-10", messages, language), language).toMatch(/18.*10:00/);
      expect(reminderWords(ALL_DAY, "2020-12-01", messages, language), language).toContain("14");
      if (language !== "en") expect(tomorrow, language).not.toBe("Tomorrow at 10:00 EET");
    }
  });
});
