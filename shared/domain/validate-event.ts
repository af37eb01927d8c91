import { DateTime, IANAZone } from "luxon";
import { ValidationError } from "./errors";
import { type EventInput, MAX_SLUG_LENGTH, type Series, SLUG_PATTERN } from "./event";
import { type ClockJump, readLocalTime } from "./event-time";
import { sanitizeBodyHtml } from "./sanitize-html";
import * as z from "./zod";

export const EVENT_LIMITS = {
  slug: MAX_SLUG_LENGTH,
  title: 200,
  summary: 2_000,
  body: 100_000,
  name: 200,
  address: 500,
  speakers: 100,
  url: 2_048,
} as const;

// C0 and C1 controls, DEL and the XML non-characters break feeds and mail headers.
// Line breaks and tabs are controls too; multi-line fields allow them (checked by LINE_BREAKS otherwise).
const CONTROL_CHARACTERS = /(?![\n\r\t])\p{Cc}|[\uFFFE\uFFFF]/u;
const LINE_BREAKS = /[\r\n\t\u2028\u2029]/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

const textChecks = (max: number, multiline: boolean) => [
  z.trim(),
  z.maxLength(max, `must be at most ${max} characters`),
  z.refine<string>((value) => value.isWellFormed(), "must be valid Unicode"),
  z.refine<string>((value) => !CONTROL_CHARACTERS.test(value), "must not contain control characters"),
  z.refine<string>((value) => multiline || !LINE_BREAKS.test(value), "must be a single line"),
];

const cleanText = (max: number, { multiline = false } = {}) =>
  z.string().check(...textChecks(max, multiline));

const requiredText = (max: number) =>
  z.string().check(...textChecks(max, false), z.minLength(1, "must not be empty"));

const httpUrl = z.string().check(
  z.trim(),
  z.maxLength(EVENT_LIMITS.url, `must be at most ${EVENT_LIMITS.url} characters`),
  z.refine((value: string) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL"),
);

const slug = z
  .string()
  .check(
    z.minLength(1, "must not be empty"),
    z.maxLength(EVENT_LIMITS.slug, `must be at most ${EVENT_LIMITS.slug} characters`),
    z.regex(SLUG_PATTERN, "must be lower-case letters, digits and single hyphens (a-z, 0-9, -)"),
  );

const country = z
  .string()
  .check(
    z.trim(),
    z.toUpperCase(),
    z.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code such as UA"),
  );

const localDateOrDateTime = z.string().check(
  z.refine(
    (value: string) => DATE.test(value) || DATE_TIME.test(value),
    "must be a date (2020-12-14) or a local date-time without offset (2021-03-18T10:00:00)",
  ),
  z.refine(
    (value: string) => DateTime.fromISO(value, { zone: "utc" }).isValid,
    "is not a real calendar date or time",
  ),
);

/** The jump of the clocks that skips this local time in the zone, if it does (a timed event cannot start in it). */
const skippedBy = (value: string, zone: string): ClockJump | undefined =>
  DateTime.fromISO(value, { zone }).isValid ? readLocalTime(value, zone).skipped : undefined;

/** Keys of a per-language record: each must be a supported language, named in the issue's path. */
const languageRecord = <T extends z.ZodMiniType>(value: T, languages: string[]) =>
  z.record(z.string(), value).check(
    z.superRefine((record, ctx) => {
      for (const code of Object.keys(record).filter((code) => !languages.includes(code))) {
        ctx.addIssue({
          code: "custom",
          path: [code],
          message: `is not a supported language (one of: ${languages.join(", ")})`,
        });
      }
    }),
  );

const personText = {
  name: requiredText(EVENT_LIMITS.name),
  role: z.optional(cleanText(EVENT_LIMITS.name)),
  organisation: z.optional(cleanText(EVENT_LIMITS.name)),
};

/** The moderator or a speaker: the default language's text, the country, and other languages' text. */
const person = (languages: string[]) =>
  z.strictObject({
    ...personText,
    country: z.optional(country),
    translations: z.optional(languageRecord(z.strictObject(personText), languages)),
  });

const venueText = {
  name: requiredText(EVENT_LIMITS.name),
  address: z.optional(cleanText(EVENT_LIMITS.address)),
  city: z.optional(cleanText(EVENT_LIMITS.name)),
};

const location = (languages: string[]) =>
  z.discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("online"), url: z.optional(httpUrl) }),
      z.strictObject({
        type: z.literal("venue"),
        ...venueText,
        country: z.optional(country),
        translations: z.optional(languageRecord(z.strictObject(venueText), languages)),
      }),
    ],
    {
      error: (issue) => (issue.input === undefined ? "is required" : "type must be one of: online, venue"),
    },
  );

const translation = z.strictObject({
  title: requiredText(EVENT_LIMITS.title),
  summary: z.optional(cleanText(EVENT_LIMITS.summary, { multiline: true })),
  body: z.optional(z.pipe(cleanText(EVENT_LIMITS.body, { multiline: true }), z.transform(sanitizeBodyHtml))),
});

const eventSchema = (languages: string[]) =>
  z
    .strictObject({
      slug,
      series: slug,
      start: localDateOrDateTime,
      end: localDateOrDateTime,
      timeZone: z.optional(
        z
          .string()
          .check(
            z.refine(
              (zone: string) => IANAZone.isValidZone(zone),
              "must be an IANA time zone such as Europe/Brussels",
            ),
          ),
      ),
      location: location(languages),
      agendaUrl: z.optional(httpUrl),
      moderator: z.optional(person(languages)),
      speakers: z._default(
        z
          .array(person(languages))
          .check(z.maxLength(EVENT_LIMITS.speakers, `must list at most ${EVENT_LIMITS.speakers} speakers`)),
        [],
      ),
      translations: languageRecord(translation, languages).check(
        z.refine(
          (translations) => Object.keys(translations).length > 0,
          "must contain at least one language",
        ),
      ),
    })
    .check(
      z.superRefine((event, ctx) => {
        const allDay = DATE.test(event.start);
        if (allDay !== DATE.test(event.end)) {
          ctx.addIssue({
            code: "custom",
            path: ["end"],
            message: "must be of the same kind as start (date or date-time)",
          });
          return;
        }
        if (!allDay && !event.timeZone) {
          ctx.addIssue({
            code: "custom",
            path: ["timeZone"],
            message: "is required for events with a time of day",
          });
        }
        if (!allDay && event.timeZone) {
          for (const field of ["start", "end"] as const) {
            const jump = skippedBy(event[field], event.timeZone);
            if (jump) {
              ctx.addIssue({
                code: "custom",
                path: [field],
                message: `does not exist in ${event.timeZone}: the clocks go forward from ${jump.from} to ${jump.to}; choose a time outside that gap`,
              });
            }
          }
        }
        // Both are local to the same zone, so they compare as plain local times.
        const zone = "utc";
        if (DateTime.fromISO(event.end, { zone }) < DateTime.fromISO(event.start, { zone })) {
          ctx.addIssue({ code: "custom", path: ["end"], message: "must not be before start" });
        }
      }),
    );

/** Fields the API returns that an editor may send back unchanged (GET, edit, PUT); they are ignored. */
const READ_ONLY_FIELDS = [
  "id",
  "status",
  "createdAt",
  "updatedAt",
  "publishedAt",
  "cancelledAt",
  "revision",
  "previousStart",
  "quietRevision",
];

const withoutReadOnlyFields = (body: unknown): unknown => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !READ_ONLY_FIELDS.includes(key)));
};

/** Validates and normalises an editor's event; throws a ValidationError naming every bad field. */
export const parseEventInput = (body: unknown, languages: string[]): EventInput => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([{ path: "", message: "must be a JSON object" }]);
  }
  const result = eventSchema(languages).safeParse(withoutReadOnlyFields(body));
  if (!result.success) throw new ValidationError(z.fieldIssuesOf(result.error));
  return result.data as EventInput;
};

const seriesSchema = (languages: string[]) =>
  z.strictObject({
    translations: z
      .record(
        z
          .string()
          .check(
            z.refine((code: string) => languages.includes(code), `must be one of: ${languages.join(", ")}`),
          ),
        z.strictObject({
          name: requiredText(EVENT_LIMITS.title),
          description: z.optional(cleanText(EVENT_LIMITS.summary, { multiline: true })),
        }),
      )
      .check(
        z.refine(
          (translations) => Object.keys(translations).length > 0,
          "must contain at least one language",
        ),
      ),
  });

/** Validates a series (its translated name and description). */
export const parseSeriesInput = (
  id: string,
  body: unknown,
  languages: string[],
): Pick<Series, "id" | "translations"> => {
  const idResult = slug.safeParse(id);
  if (!idResult.success)
    throw new ValidationError(z.fieldIssuesOf(idResult.error).map((issue) => ({ ...issue, path: "id" })));
  const result = seriesSchema(languages).safeParse(withoutReadOnlyFields(body));
  if (!result.success) throw new ValidationError(z.fieldIssuesOf(result.error));
  return { id, translations: result.data.translations };
};
