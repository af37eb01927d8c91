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

const schema = z
  .object({
    TABLE_NAME: text(3),
    SUBSCRIBERS_TABLE: z.optional(text(3)),
    FEED_BUCKET: text(3),
    PUBLIC_URL: url,
    SITE_URL: z.optional(url),
    LANGUAGES: z._default(csv, ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"]),
    DEFAULT_LANGUAGE: z._default(z.string(), "en"),
    FEED_TITLE: z._default(z.string(), "Events"),
    FEED_DESCRIPTION: z._default(z.string(), "Upcoming and past events"),
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
  feedTitle: string;
  feedDescription: string;
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
