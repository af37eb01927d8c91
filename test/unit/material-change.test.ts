import { describe, expect, it } from "vitest";
import {
  decideReminder,
  materialChanges,
  materialFactsOf,
  materialKey,
  noticePreviousFor,
  reminderDueAt,
  wantsReminderAfterAnnouncement,
  withQuietChange,
} from "../../shared/domain/material-change";
import { changeLines } from "../../shared/render/mail/change-lines";
import { seedEvent, timedVenueEvent } from "./fixtures/seed-event";

const KYIV = timedVenueEvent();
const ONLINE = seedEvent({ location: { type: "online", url: "https://example.org/live" } });

describe("what counts as a material change", () => {
  it("counts start, end, the zone of a timed event and all-day ↔ timed as one change of time", () => {
    expect(materialChanges(KYIV, { ...KYIV, start: "2021-03-18T14:00" })).toEqual(["time"]);
    expect(materialChanges(KYIV, { ...KYIV, end: "2021-03-18T13:00" })).toEqual(["time"]);
    expect(materialChanges(KYIV, { ...KYIV, timeZone: "Europe/Brussels" })).toEqual(["time"]);
    expect(materialChanges(KYIV, { ...KYIV, start: "2021-03-18", end: "2021-03-18" })).toEqual(["time"]);
  });

  it("does not count the zone of an all-day event, whose dates read the same everywhere", () => {
    expect(materialChanges(ONLINE, { ...ONLINE, timeZone: "Asia/Tbilisi" })).toEqual([]);
  });

  it("counts the online link and the venue's name, address, city and country as a change of place", () => {
    expect(
      materialChanges(ONLINE, seedEvent({ location: { type: "online", url: "https://example.org/new" } })),
    ).toEqual(["place"]);
    const venue = KYIV.location;
    if (venue.type !== "venue") throw new Error("fixture");
    for (const change of [
      { name: "Hall B" },
      { address: "2 Khreshchatyk St" },
      { city: "Lviv" },
      { country: "PL" },
    ]) {
      expect(materialChanges(KYIV, { ...KYIV, location: { ...venue, ...change } })).toEqual(["place"]);
    }
    expect(materialChanges(KYIV, { ...KYIV, location: ONLINE.location })).toEqual(["place"]);
  });

  it("ignores fixes to title, summary, body, speakers and a venue's translations", () => {
    const venue = KYIV.location;
    if (venue.type !== "venue") throw new Error("fixture");
    const fixed = timedVenueEvent({
      translations: { en: { title: "Fixed title", summary: "Fixed", body: "<p>Fixed</p>" } },
      speakers: [{ name: "Someone else" }],
      moderator: { name: "Another moderator" },
      location: { ...venue, translations: { ka: { name: "ინოვაციების ჰაბი" } } },
    });
    expect(materialChanges(KYIV, fixed)).toEqual([]);
  });

  it("finds nothing once a change was reverted, and keeps only the facts it compares", () => {
    const moved = { ...KYIV, start: "2021-03-18T14:00" };
    expect(materialChanges(KYIV, { ...moved, start: KYIV.start })).toEqual([]);
    expect(Object.keys(materialFactsOf(KYIV)).sort()).toEqual(["end", "location", "start", "timeZone"]);
  });
});

describe("a quiet edit", () => {
  it("counts its own changes as told and leaves the burst's others to the notice", () => {
    const moved = { ...KYIV, start: "2021-03-18T14:00" };
    const relinked = { ...moved, location: ONLINE.location };
    const told = withQuietChange(KYIV, moved, relinked);
    expect(materialChanges(told, relinked)).toEqual(["time"]);
    expect(materialChanges(withQuietChange(KYIV, KYIV, moved), relinked)).toEqual(["place"]);
  });
});

describe("who needs a notice", () => {
  const moved = { ...KYIV, start: "2021-03-18T14:00" };
  const relinked = { ...moved, location: ONLINE.location };

  // The burst began at revision 5: what subscribers were told before it is KYIV.
  const shownAt = (revision: number, facts: typeof KYIV) => ({ revision, facts });

  it("is whoever was shown the facts before the change, or facts nobody recorded, who read them as old", () => {
    expect(materialChanges(noticePreviousFor(shownAt(5, KYIV), 5, KYIV, moved) ?? moved, KYIV)).toEqual([]);
    expect(materialChanges(noticePreviousFor(undefined, 5, KYIV, moved) ?? moved, KYIV)).toEqual([]);
  });

  it("is not whoever was shown the new facts already, by an announcement sent during the burst", () => {
    expect(noticePreviousFor(shownAt(6, moved), 5, KYIV, moved)).toBeUndefined();
  });

  it("goes by what earlier notices told, not by an announcement sent before the burst", () => {
    // Announced at 14:00, told 10:00 by a notice since, now moved back to 14:00: they need to hear it.
    const old = noticePreviousFor(shownAt(2, moved), 5, KYIV, moved);
    expect(old && materialChanges(old, KYIV)).toEqual([]);
  });

  it("reads as old only what differs from what each was shown, and never what the notice does not tell", () => {
    // Shown the new time but the old place: told only of the place.
    const old = noticePreviousFor(shownAt(5, moved), 5, KYIV, relinked);
    expect(old && materialChanges(old, relinked)).toEqual(["place"]);
    // The time was changed quietly (counted as told): a reader shown the old time and the new place needs nothing.
    const quiet = { ...KYIV, location: ONLINE.location };
    expect(noticePreviousFor(shownAt(6, quiet), 5, moved, relinked)).toBeUndefined();
  });

  it("keys equal facts alike whatever the order of their fields", () => {
    const venue = KYIV.location;
    if (venue.type !== "venue") throw new Error("fixture");
    const reordered = { ...KYIV, location: { country: venue.country, city: venue.city, ...venue } };
    expect(materialKey(reordered)).toBe(materialKey(KYIV));
    expect(materialKey(moved)).not.toBe(materialKey(KYIV));
  });
});

describe("the old → new text of a notice", () => {
  const moved = { ...KYIV, start: "2021-03-18T14:00", end: "2021-03-18T16:00" };
  const expected: Record<string, string> = {
    en: "Time: 18 March 2021 10:00–12:00 → 14:00–16:00 EET (Europe/Kyiv)",
    ka: "დრო: 18 მარტი, 2021 10:00–12:00 → 14:00–16:00 GMT+2 (Europe/Kyiv)",
    hy: "Ժամ: 18 մարտի, 2021 թ. 10:00–12:00 → 14:00–16:00 GMT+2 (Europe/Kyiv)",
    az: "Vaxt: 18 mart 2021 10:00–12:00 → 14:00–16:00 GMT+2 (Europe/Kyiv)",
    be: "Час: 18 сакавіка 2021 г. 10.00–12.00 → 14.00–16.00 GMT+2 (Europe/Kyiv)",
    ro: "Ora: 18 martie 2021 10:00–12:00 → 14:00–16:00 EET (Europe/Kyiv)",
    ru: "Время: 18 марта 2021 г. 10:00–12:00 → 14:00–16:00 GMT+2 (Europe/Kyiv)",
    uk: "Час: 18 березня 2021 р. 10:00–12:00 → 14:00–16:00 GMT+2 (Europe/Kyiv)",
  };

  it.each(Object.entries(expected))("says what moved in %s, with the zone", (language, line) => {
    const lines = changeLines(KYIV, moved, { language, defaultLanguage: "en" });
    expect(lines.map((change) => `${change.label}: ${change.text}`)).toEqual([line]);
  });

  it("writes both whens in full when the day changes", () => {
    const [line] = changeLines(
      KYIV,
      { ...moved, start: "2021-03-19T14:00", end: "2021-03-19T16:00" },
      {
        language: "en",
        defaultLanguage: "en",
      },
    );
    expect(line?.text).toBe(
      "18 March 2021, 10:00–12:00 EET (Europe/Kyiv) → 19 March 2021, 14:00–16:00 EET (Europe/Kyiv)",
    );
  });

  it("shows a new online link and a new venue old → new", () => {
    const [link] = changeLines(
      ONLINE,
      seedEvent({ location: { type: "online", url: "https://example.org/new" } }),
      { language: "uk", defaultLanguage: "en" },
    );
    expect(link).toEqual({
      label: "Онлайн-посилання",
      text: "https://example.org/live → https://example.org/new",
    });
    const [place] = changeLines(
      KYIV,
      { ...KYIV, location: ONLINE.location },
      { language: "en", defaultLanguage: "en" },
    );
    expect(place).toEqual({
      label: "Place",
      text: "Innovation Hub, 1 Khreshchatyk St, Kyiv, Ukraine → Online — https://example.org/live",
    });
  });
});

describe("when a reminder is due", () => {
  it("comes the lead time before a timed event starts", () => {
    expect(reminderDueAt(KYIV, 24)).toBe("2021-03-17T08:00:00Z");
    expect(reminderDueAt(KYIV, 2)).toBe("2021-03-18T06:00:00Z");
  });

  it("comes at 09:00 on the morning before an all-day event, in its zone", () => {
    expect(reminderDueAt(seedEvent({ timeZone: "Asia/Tbilisi" }), 24)).toBe("2020-12-13T05:00:00Z");
    expect(reminderDueAt(seedEvent({ timeZone: undefined }), 24)).toBe("2020-12-13T09:00:00Z");
  });

  it("follows a move, is sent at once inside the lead time, and is dropped once the event started or was cancelled", () => {
    const published = timedVenueEvent({ status: "published" });
    expect(decideReminder(published, 24, "2021-03-10T00:00:00Z")).toEqual({
      action: "wait",
      dueAt: "2021-03-17T08:00:00Z",
    });
    expect(decideReminder(published, 24, "2021-03-17T08:00:00Z")).toEqual({ action: "send" });
    expect(decideReminder(published, 24, "2021-03-18T07:59:00Z")).toEqual({ action: "send" });
    expect(decideReminder(published, 24, "2021-03-18T08:00:00Z")).toEqual({ action: "drop" });
    expect(decideReminder({ ...published, status: "cancelled" }, 24, "2021-03-17T09:00:00Z")).toEqual({
      action: "drop",
    });
  });

  it("is not scheduled by an announcement made inside the lead time: the announcement reminds", () => {
    expect(wantsReminderAfterAnnouncement(KYIV, 24, "2021-03-10T00:00:00Z")).toBe(true);
    expect(wantsReminderAfterAnnouncement(KYIV, 24, "2021-03-17T12:00:00Z")).toBe(false);
  });
});
