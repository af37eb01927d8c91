import { describe, expect, it } from "vitest";
import { ValidationError } from "../../shared/domain/errors";
import { parseEventInput } from "../../shared/domain/validate-event";

const LANGUAGES = ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"];

const validEvent = () => ({
  slug: "ict-innovation-networking-3",
  series: "ict-innovation-networking",
  start: "2020-12-14",
  end: "2020-12-14",
  timeZone: "Europe/Brussels",
  location: { type: "online", url: "https://example.org/live" },
  agendaUrl: "https://example.org/agenda.pdf",
  moderator: { name: "Anna Pobol", role: "Moderator" },
  speakers: [
    { name: "Olga Shapoval", role: "Executive director", organisation: "Kharkiv IT Cluster", country: "UA" },
  ],
  translations: {
    ka: { title: "მესამე ქსელური ღონისძიება", summary: "მოკლედ", body: "<p>ტექსტი</p>" },
    en: { title: "Third networking event", summary: "In short", body: "<p>Text</p>" },
  },
});

const issuesOf = (body: unknown) => {
  try {
    parseEventInput(body, LANGUAGES);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error("expected the event to be rejected");
};

describe("an editor's event", () => {
  it("is accepted in the documented shape, Georgian text intact", () => {
    const event = parseEventInput(validEvent(), LANGUAGES);
    expect(event.translations.ka?.title).toBe("მესამე ქსელური ღონისძიება");
    expect(event.speakers).toHaveLength(1);
  });

  it("is accepted with a time of day when it names its zone", () => {
    const event = parseEventInput(
      { ...validEvent(), start: "2021-03-18T10:00:00", end: "2021-03-18T12:30", timeZone: "Europe/Kyiv" },
      LANGUAGES,
    );
    expect(event.start).toBe("2021-03-18T10:00:00");
  });

  it("ignores the read-only fields the API returns, so a GET can be edited and sent back", () => {
    const event = parseEventInput({ ...validEvent(), id: "x", status: "published", revision: 3 }, LANGUAGES);
    expect(event).not.toHaveProperty("id");
    expect(event).not.toHaveProperty("status");
  });

  it("has scripts, event handlers and relative or javascript: links removed from its body", () => {
    const body =
      '<p onclick="steal()">Hi<script>alert(1)</script><a href="javascript:alert(1)">x</a>' +
      '<a href="/relative">y</a><a href="https://ok.example/">z</a><iframe src="https://evil"></iframe></p>';
    const event = parseEventInput({ ...validEvent(), translations: { en: { title: "T", body } } }, LANGUAGES);
    expect(event.translations.en?.body).toBe('<p>Hi<a>x</a><a>y</a><a href="https://ok.example/">z</a></p>');
  });

  it.each([
    ["an end before its start", { end: "2020-12-13" }, "end", "must not be before start"],
    [
      "a date-time without a zone",
      { start: "2021-03-18T10:00", end: "2021-03-18T11:00", timeZone: undefined },
      "timeZone",
      "required",
    ],
    ["an unknown time zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone", "IANA"],
    ["a start and end of different kinds", { end: "2020-12-14T10:00" }, "end", "same kind"],
    ["an impossible date", { start: "2020-02-30", end: "2020-02-30" }, "start", "real calendar date"],
    ["a slug with capitals and spaces", { slug: "ICT 3" }, "slug", "lower-case"],
    ["a location of an unknown type", { location: { type: "boat" } }, "location.type", "online, venue"],
    ["a venue without a name", { location: { type: "venue", city: "Tbilisi" } }, "location.name", ""],
    ["an agenda link that is not http(s)", { agendaUrl: "javascript:alert(1)" }, "agendaUrl", "http(s) URL"],
    [
      "an online link that is not a URL",
      { location: { type: "online", url: "not a url" } },
      "location.url",
      "http(s)",
    ],
    [
      "a country that is not a code",
      { speakers: [{ name: "A", country: "Ukraine" }] },
      "speakers.0.country",
      "ISO 3166",
    ],
    ["a field the format does not have", { colour: "red" }, "", "unknown field(s): colour"],
    [
      "too many speakers",
      { speakers: Array.from({ length: 101 }, () => ({ name: "A" })) },
      "speakers",
      "at most 100",
    ],
  ])("is refused for %s, naming the field", (_case, change, path, message) => {
    const issues = issuesOf({ ...validEvent(), ...change });
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("is refused for a start the clocks skip, saying which jump skips it", () => {
    const issues = issuesOf({
      ...validEvent(),
      start: "2021-03-28T02:30",
      end: "2021-03-28T04:00",
      timeZone: "Europe/Brussels",
    });
    expect(issues).toEqual([
      {
        path: "start",
        message:
          "does not exist in Europe/Brussels: the clocks go forward from 2021-03-28T02:00 to 2021-03-28T03:00; choose a time outside that gap",
      },
    ]);
  });

  it("is refused for an end the clocks skip, so that no event loses its duration", () => {
    const issues = issuesOf({
      ...validEvent(),
      start: "2021-03-14T01:00",
      end: "2021-03-14T02:15",
      timeZone: "America/New_York",
    });
    expect(issues).toEqual([
      { path: "end", message: expect.stringContaining("does not exist in America/New_York") },
    ]);
  });

  it("is accepted in the repeated hour, and on a day-long event whose midnight is skipped", () => {
    const repeated = { start: "2021-10-31T02:30", end: "2021-10-31T02:45", timeZone: "Europe/Brussels" };
    expect(parseEventInput({ ...validEvent(), ...repeated }, LANGUAGES).start).toBe("2021-10-31T02:30");
    const santiago = { start: "2022-09-11", end: "2022-09-11", timeZone: "America/Santiago" };
    expect(parseEventInput({ ...validEvent(), ...santiago }, LANGUAGES).start).toBe("2022-09-11");
  });

  it("is refused for a language outside the supported set", () => {
    const issues = issuesOf({ ...validEvent(), translations: { fr: { title: "Événement" } } });
    expect(issues).toContainEqual({
      path: "translations.fr",
      message: expect.stringContaining("not a supported language"),
    });
  });

  it("is refused for an empty title, naming the translation", () => {
    const issues = issuesOf({ ...validEvent(), translations: { ka: { title: "   " } } });
    expect(issues).toContainEqual({ path: "translations.ka.title", message: "must not be empty" });
  });

  it("is refused for control characters, which would break XML and mail headers", () => {
    const issues = issuesOf({ ...validEvent(), translations: { en: { title: "Bell\u0007" } } });
    expect(issues).toContainEqual({
      path: "translations.en.title",
      message: "must not contain control characters",
    });
  });

  it("is refused for a line break in a title, which could inject a mail header", () => {
    const issues = issuesOf({ ...validEvent(), translations: { en: { title: "A\r\nBcc: x@example.org" } } });
    expect(issues).toContainEqual({ path: "translations.en.title", message: "must be a single line" });
  });

  it("is refused for an overlong title", () => {
    const issues = issuesOf({ ...validEvent(), translations: { en: { title: "x".repeat(201) } } });
    expect(issues).toContainEqual({
      path: "translations.en.title",
      message: "must be at most 200 characters",
    });
  });

  it("is refused when it has no translation at all", () => {
    const issues = issuesOf({ ...validEvent(), translations: {} });
    expect(issues).toContainEqual({ path: "translations", message: "must contain at least one language" });
  });

  it("is refused when it is not an object", () => {
    expect(issuesOf([1, 2])).toEqual([{ path: "", message: "must be a JSON object" }]);
  });

  it("is refused for a missing or mistyped field in plain words, naming it", () => {
    const { series: _series, start: _start, location: _location, ...rest } = validEvent();
    expect(issuesOf(rest)).toEqual(
      expect.arrayContaining([
        { path: "series", message: "is required" },
        { path: "start", message: "is required" },
        { path: "location", message: "is required" },
      ]),
    );
    expect(issuesOf({ ...validEvent(), series: 7 })).toEqual([{ path: "series", message: "must be a text" }]);
    expect(issuesOf({ ...validEvent(), speakers: "Olga" })).toEqual([
      { path: "speakers", message: "must be a list" },
    ]);
    expect(issuesOf({ ...validEvent(), location: { type: "boat" } })).toEqual([
      { path: "location.type", message: "type must be one of: online, venue" },
    ]);
  });
});

describe("an editor's people and venue in other languages", () => {
  const speakers = (georgian: Record<string, unknown>) => [
    { name: "Christophe Guichard" },
    { name: "Jan Maarten de Vet" },
    { name: "Olga Shapoval", translations: { ka: georgian } },
  ];
  const withGeorgianSpeaker = (georgian: Record<string, unknown>) => ({
    ...validEvent(),
    speakers: speakers(georgian),
  });

  it("are accepted beside the default language's text, and kept as written", () => {
    const event = parseEventInput(
      {
        ...validEvent(),
        moderator: { name: "Anna Pobol", translations: { ka: { name: "ანა პობოლი", role: "მოდერატორი" } } },
        speakers: speakers({ name: "ოლგა შაპოვალი", role: "დირექტორი", organisation: "კლასტერი" }),
        location: {
          type: "venue",
          name: "Innovation Hub",
          city: "Kyiv",
          translations: { uk: { name: "Інноваційний хаб", address: "вул. Хрещатик, 1", city: "Київ" } },
        },
      },
      LANGUAGES,
    );
    expect(event.moderator?.translations?.ka).toEqual({ name: "ანა პობოლი", role: "მოდერატორი" });
    expect(event.speakers[2]?.translations?.ka?.organisation).toBe("კლასტერი");
    expect(event.location).toMatchObject({ translations: { uk: { city: "Київ" } } });
  });

  it("leave the shape without translations accepted unchanged, the moderator gaining an optional organisation", () => {
    const event = parseEventInput(validEvent(), LANGUAGES);
    expect(event.moderator).toEqual({ name: "Anna Pobol", role: "Moderator" });
    expect(event.speakers[0]).not.toHaveProperty("translations");
    const moderator = { name: "Anna Pobol", organisation: "EU4Digital", country: "be" };
    expect(parseEventInput({ ...validEvent(), moderator }, LANGUAGES).moderator).toEqual({
      ...moderator,
      country: "BE",
    });
  });

  it("are refused without a name, naming the speaker and the language", () => {
    expect(issuesOf(withGeorgianSpeaker({ role: "დირექტორი" }))).toContainEqual({
      path: "speakers.2.translations.ka.name",
      message: "is required",
    });
    expect(issuesOf(withGeorgianSpeaker({ name: "  " }))).toEqual([
      { path: "speakers.2.translations.ka.name", message: "must not be empty" },
    ]);
  });

  it("are refused in a language outside the supported set", () => {
    expect(
      issuesOf({ ...validEvent(), moderator: { name: "Anna", translations: { fr: { name: "Anne" } } } }),
    ).toContainEqual({
      path: "moderator.translations.fr",
      message: expect.stringContaining("not a supported language"),
    });
  });

  it("are refused for control characters, line breaks and overlong text, naming the field", () => {
    expect(issuesOf(withGeorgianSpeaker({ name: "Olga\u0007" }))).toContainEqual({
      path: "speakers.2.translations.ka.name",
      message: "must not contain control characters",
    });
    expect(issuesOf(withGeorgianSpeaker({ name: "Olga", role: "A\r\nBcc: x@example.org" }))).toContainEqual({
      path: "speakers.2.translations.ka.role",
      message: "must be a single line",
    });
    expect(issuesOf(withGeorgianSpeaker({ name: "Olga", organisation: "x".repeat(201) }))).toContainEqual({
      path: "speakers.2.translations.ka.organisation",
      message: "must be at most 200 characters",
    });
    const venue = (translation: Record<string, unknown>) => ({
      ...validEvent(),
      location: { type: "venue", name: "Hub", translations: { uk: translation } },
    });
    expect(issuesOf(venue({ name: "Хаб", address: "x".repeat(501) }))).toContainEqual({
      path: "location.translations.uk.address",
      message: "must be at most 500 characters",
    });
    expect(issuesOf(venue({ name: "Хаб", city: "Ки\u2028їв" }))).toContainEqual({
      path: "location.translations.uk.city",
      message: "must be a single line",
    });
  });

  it("are refused with fields a translation cannot have, such as a country", () => {
    expect(issuesOf(withGeorgianSpeaker({ name: "ოლგა", country: "UA" }))).toContainEqual({
      path: "speakers.2.translations.ka",
      message: "unknown field(s): country",
    });
  });
});
