import type { LanguageCode } from "./domain/event";
import * as z from "./domain/zod";

/**
 * The one place that reads the environment. Every function and the local runtime call
 * `loadConfig()`; a missing or malformed variable fails at cold start with its name.
 */
const csv = z.pipe(
  z.string(),
  z.transform((value: string) =>
    value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  ),
);

/** `https://x.org//` → `https://x.org`, without a pattern that backtracks over a run of slashes. */
export const trimTrailingSlashes = (value: string): string => {
  let end = value.length;
  while (end > 0 && value[end - 1] === "/") end--;
  return value.slice(0, end);
};

const url = z.pipe(
  z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  z.transform(trimTrailingSlashes),
);

/**
 * What an operator writes once for every language (a brand name), or by language: FEED_TITLE and
 * FEED_DESCRIPTION. A language the object leaves out reads the default language's text.
 */
export type TextByLanguage = string | Readonly<Record<LanguageCode, string>>;

/**
 * A plain text, or a JSON object of texts by language (`{"en":"EU4Digital events","ka":"…"}`, as
 * text or, from cdk.json, as an object) that names only `languages` and gives the default
 * language's text. A problem names the key it is about, if any.
 */
export const readTextByLanguage = (
  value: unknown,
  languages: readonly LanguageCode[],
  defaultLanguage: LanguageCode,
): { text: TextByLanguage } | { problem: string; path: string[] } => {
  let parsed = value;
  if (typeof value === "string") {
    if (!value.trimStart().startsWith("{")) return { text: value };
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return { problem: `is not valid JSON (${(error as Error).message})`, path: [] };
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return {
      problem: 'must be a text, or a JSON object of texts by language like {"en":"Events"}',
      path: [],
    };
  }
  for (const [language, text] of Object.entries(parsed)) {
    if (!languages.includes(language)) {
      return { problem: `is not a configured language (${languages.join(", ")})`, path: [language] };
    }
    if (typeof text !== "string" || text.trim() === "") {
      return { problem: "must be a text", path: [language] };
    }
  }
  if (!Object.hasOwn(parsed, defaultLanguage)) {
    return {
      problem: `must give the default language's (${defaultLanguage}) text, which the languages it leaves out show`,
      path: [],
    };
  }
  return { text: parsed as Record<LanguageCode, string> };
};

/** A language's text: its own, else the default language's; undefined when the operator gave none. */
export const textIn = (
  text: TextByLanguage | undefined,
  language: LanguageCode,
  defaultLanguage: LanguageCode,
): string | undefined => {
  if (text === undefined || typeof text === "string") return text;
  return Object.hasOwn(text, language) ? text[language] : text[defaultLanguage];
};

const text = (minLength = 1) =>
  z
    .string({ error: "is required" })
    .check(z.minLength(minLength, `must be at least ${minLength} characters`));
const count = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: "must be a number" })
    .check(
      z.int("must be a whole number"),
      z.minimum(min, `must be at least ${min}`),
      z.maximum(max, `must be at most ${max}`),
    );

const environment = z
  .object({
    TABLE_NAME: text(3),
    SUBSCRIBERS_TABLE: z.optional(text(3)),
    FEED_BUCKET: text(3),
    PUBLIC_URL: url,
    SITE_URL: z.optional(url),
    LANGUAGES: z._default(csv, ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"]),
    DEFAULT_LANGUAGE: z._default(z.string(), "en"),
    /** Unset: each language's own words for "Events" and "Upcoming and past events". */
    FEED_TITLE: z.optional(z.string()),
    FEED_DESCRIPTION: z.optional(z.string()),
    FEED_MAX_ITEMS: z._default(count(1), 50),
    /** Local runs only: the bearer token editors use. Deployed, the API uses IAM auth instead. */
    ADMIN_TOKEN: z.optional(text(16)),
    /**
     * The keyring that signs confirm / unsubscribe / manage links, and the key of subscriber ids and
     * IP hashes: each given directly (local runs) or as a Secrets Manager ARN (deployed), and
     * required only by the functions that use it (shared/adapters/secrets.ts).
     */
    LINK_KEYS: z.optional(text(32)),
    LINK_KEYS_ARN: z.optional(z.string().check(z.startsWith("arn:"))),
    PSEUDONYM_KEY: z.optional(text(32)),
    PSEUDONYM_KEY_ARN: z.optional(z.string().check(z.startsWith("arn:"))),
    /** The value CloudFront adds in x-origin-verify to every API request (shared/http/origin.ts). */
    ORIGIN_SECRET: z.optional(text(32)),
    ORIGIN_SECRET_ARN: z.optional(z.string().check(z.startsWith("arn:"))),
    SENDER_ADDRESS: text(3),
    ORGANISATION_NAME: z._default(z.string(), "eventcast"),
    POSTAL_ADDRESS: text(1),
    SES_CONFIGURATION_SET: z.optional(z.string()),
    DELIVERY_QUEUE_URL: z.optional(z.url()),
    SUBSCRIBE_REQUESTS_PER_HOUR: z._default(count(1), 5),
    SUBSCRIBE_REQUESTS_PER_CLIENT_PER_HOUR: z._default(count(1), 30),
    SUBSCRIPTION_QUEUE_URL: z.optional(z.url()),
    NOTICE_DELAY_MINUTES: z._default(count(0, 24 * 60), 30),
    REMINDER_LEAD_HOURS: z._default(count(1, 14 * 24), 24),
    /** Deployed: the IAM principals (user or role ARNs) allowed to edit, and to erase people. */
    EDITORS: z._default(csv, []),
    PRIVACY_OPERATORS: z._default(csv, []),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (!value.LANGUAGES.includes(value.DEFAULT_LANGUAGE)) {
        ctx.addIssue({ code: "custom", path: ["DEFAULT_LANGUAGE"], message: "must be one of LANGUAGES" });
      }
    }),
  );

// The texts by language are read once the languages are known.
const schema = z.pipe(
  environment,
  z.transform((env, ctx) => {
    const read = (name: "FEED_TITLE" | "FEED_DESCRIPTION") => {
      const value = env[name];
      if (value === undefined) return undefined;
      const result = readTextByLanguage(value, env.LANGUAGES, env.DEFAULT_LANGUAGE);
      if ("text" in result) return result.text;
      ctx.issues.push({
        code: "custom",
        input: value,
        path: [name, ...result.path],
        message: result.problem,
      });
      return undefined;
    };
    return { ...env, FEED_TITLE: read("FEED_TITLE"), FEED_DESCRIPTION: read("FEED_DESCRIPTION") };
  }),
);

export interface Config {
  /** The events table: events, series, slugs, announcements (streamed). */
  tableName: string;
  /** The subscribers table: people, request counters, the delivery ledger; only where granted. */
  subscribersTableName?: string;
  feedBucket: string;
  /** Base of every link the system writes (feeds, API, mail). */
  publicUrl: string;
  /** Base of the event pages on the organisation's site. */
  siteUrl: string;
  /** Whether eventcast publishes the website itself: yes unless SITE_URL names another site. */
  publishesSite: boolean;
  languages: string[];
  defaultLanguage: string;
  /** The programme's name and description (FEED_TITLE, FEED_DESCRIPTION): see `programmeTextIn`. */
  feedTitle?: TextByLanguage;
  feedDescription?: TextByLanguage;
  /** The items of each subscription document (feed.xml, feed.json); older ones are in the archives. */
  feedMaxItems: number;
  adminToken?: string;
  /** The link keyring itself (local runs), or the ARN of the secret that holds it. */
  linkKeys?: string;
  linkKeysArn?: string;
  /** The pseudonym key itself (local runs), or the ARN of the secret that holds it. */
  pseudonymKey?: string;
  pseudonymKeyArn?: string;
  /** What proves a request came through CloudFront, itself (local runs) or as a secret's ARN. */
  originSecret?: string;
  originSecretArn?: string;
  /** The From of every mail, e.g. `EU4Digital events <events@example.org>`: an SES-verified identity. */
  senderAddress: string;
  organisationName: string;
  /** The sender's postal line every mail carries (anti-spam law). */
  postalAddress: string;
  sesConfigurationSet?: string;
  deliveryQueueUrl?: string;
  subscribeRequestsPerHour: number;
  /** Subscribe requests one client address may make per hour, whatever addresses they name. */
  subscribeRequestsPerClientPerHour: number;
  /** Where the public API queues subscription requests for the subscription mailer. */
  subscriptionQueueUrl?: string;
  /** A change notice goes out this long after the last material change of a burst of edits. */
  noticeDelayMinutes: number;
  /** A timed event's reminder goes out this long before it starts. */
  reminderLeadHours: number;
  editors: string[];
  privacyOperators: string[];
}

export const parseConfig = (env: Record<string, string | undefined>): Config => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  const env_ = result.data;
  return {
    tableName: env_.TABLE_NAME,
    subscribersTableName: env_.SUBSCRIBERS_TABLE,
    feedBucket: env_.FEED_BUCKET,
    publicUrl: env_.PUBLIC_URL,
    siteUrl: env_.SITE_URL ?? env_.PUBLIC_URL,
    publishesSite: env_.SITE_URL === undefined || env_.SITE_URL === env_.PUBLIC_URL,
    languages: env_.LANGUAGES,
    defaultLanguage: env_.DEFAULT_LANGUAGE,
    feedTitle: env_.FEED_TITLE,
    feedDescription: env_.FEED_DESCRIPTION,
    feedMaxItems: env_.FEED_MAX_ITEMS,
    adminToken: env_.ADMIN_TOKEN,
    linkKeys: env_.LINK_KEYS,
    linkKeysArn: env_.LINK_KEYS_ARN,
    pseudonymKey: env_.PSEUDONYM_KEY,
    pseudonymKeyArn: env_.PSEUDONYM_KEY_ARN,
    originSecret: env_.ORIGIN_SECRET,
    originSecretArn: env_.ORIGIN_SECRET_ARN,
    senderAddress: env_.SENDER_ADDRESS,
    organisationName: env_.ORGANISATION_NAME,
    postalAddress: env_.POSTAL_ADDRESS,
    sesConfigurationSet: env_.SES_CONFIGURATION_SET,
    deliveryQueueUrl: env_.DELIVERY_QUEUE_URL,
    subscribeRequestsPerHour: env_.SUBSCRIBE_REQUESTS_PER_HOUR,
    subscribeRequestsPerClientPerHour: env_.SUBSCRIBE_REQUESTS_PER_CLIENT_PER_HOUR,
    subscriptionQueueUrl: env_.SUBSCRIPTION_QUEUE_URL,
    noticeDelayMinutes: env_.NOTICE_DELAY_MINUTES,
    reminderLeadHours: env_.REMINDER_LEAD_HOURS,
    editors: env_.EDITORS,
    privacyOperators: env_.PRIVACY_OPERATORS,
  };
};

let cached: Config | undefined;

/** The process's configuration, parsed once. */
export const loadConfig = (): Config => {
  cached ??= parseConfig(process.env);
  return cached;
};

/** A setting only some functions need, checked at their cold start. */
export const required = <T>(value: T | undefined, name: string): T => {
  if (value === undefined || value === "") throw new Error(`Invalid configuration: ${name} is required here`);
  return value;
};
