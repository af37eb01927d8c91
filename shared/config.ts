import { z } from "zod";

/**
 * The one place that reads the environment. Every function and the local runtime call
 * `loadConfig()`; a missing or malformed variable fails at cold start with its name.
 */
const csv = z.string().transform((value) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
);

const url = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), "must be an http(s) URL")
  .transform((value) => value.replace(/\/+$/, ""));

const schema = z
  .object({
    TABLE_NAME: z.string().min(3),
    FEED_BUCKET: z.string().min(3),
    PUBLIC_URL: url,
    SITE_URL: url.optional(),
    LANGUAGES: csv.default(["en", "ka", "hy", "az", "be", "ro", "ru", "uk"]),
    DEFAULT_LANGUAGE: z.string().default("en"),
    FEED_TITLE: z.string().default("Events"),
    FEED_DESCRIPTION: z.string().default("Upcoming and past events"),
    FEED_MAX_ITEMS: z.coerce.number().int().min(1).optional(),
    /** Local runs only: the bearer token editors use. Deployed, the API uses IAM auth instead. */
    ADMIN_TOKEN: z.string().min(16).optional(),
    /** Key that signs confirm / unsubscribe / manage links: given directly (local) or as a Secrets Manager ARN. */
    TOKEN_SECRET: z.string().min(32).optional(),
    TOKEN_SECRET_ARN: z.string().startsWith("arn:").optional(),
    SENDER_ADDRESS: z.string().min(3),
    ORGANISATION_NAME: z.string().default("eventcast"),
    POSTAL_ADDRESS: z.string().min(1),
    SES_CONFIGURATION_SET: z.string().optional(),
    DELIVERY_QUEUE_URL: z.string().url().optional(),
    SUBSCRIBE_REQUESTS_PER_HOUR: z.coerce.number().int().min(1).default(5),
    SEND_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
  })
  .superRefine((value, ctx) => {
    if (!value.LANGUAGES.includes(value.DEFAULT_LANGUAGE)) {
      ctx.addIssue({ code: "custom", path: ["DEFAULT_LANGUAGE"], message: "must be one of LANGUAGES" });
    }
    if (!value.TOKEN_SECRET && !value.TOKEN_SECRET_ARN) {
      ctx.addIssue({
        code: "custom",
        path: ["TOKEN_SECRET"],
        message: "TOKEN_SECRET or TOKEN_SECRET_ARN is required",
      });
    }
  });

export interface Config {
  tableName: string;
  feedBucket: string;
  /** Base of every link the system writes (feeds, API, mail). */
  publicUrl: string;
  /** Base of the event pages on the organisation's site. */
  siteUrl: string;
  languages: string[];
  defaultLanguage: string;
  feedTitle: string;
  feedDescription: string;
  /** The newest N public events per feed; every one when unset. */
  feedMaxItems?: number;
  adminToken?: string;
  tokenSecret?: string;
  tokenSecretArn?: string;
  /** The From of every mail, e.g. `EU4Digital events <events@example.org>`: an SES-verified identity. */
  senderAddress: string;
  organisationName: string;
  /** The sender's postal line every mail carries (anti-spam law). */
  postalAddress: string;
  sesConfigurationSet?: string;
  deliveryQueueUrl?: string;
  subscribeRequestsPerHour: number;
  /** Mails one deliverer sends at once; with the queue's max concurrency it bounds the SES send rate. */
  sendConcurrency: number;
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
    feedBucket: env_.FEED_BUCKET,
    publicUrl: env_.PUBLIC_URL,
    siteUrl: env_.SITE_URL ?? env_.PUBLIC_URL,
    languages: env_.LANGUAGES,
    defaultLanguage: env_.DEFAULT_LANGUAGE,
    feedTitle: env_.FEED_TITLE,
    feedDescription: env_.FEED_DESCRIPTION,
    feedMaxItems: env_.FEED_MAX_ITEMS,
    adminToken: env_.ADMIN_TOKEN,
    tokenSecret: env_.TOKEN_SECRET,
    tokenSecretArn: env_.TOKEN_SECRET_ARN,
    senderAddress: env_.SENDER_ADDRESS,
    organisationName: env_.ORGANISATION_NAME,
    postalAddress: env_.POSTAL_ADDRESS,
    sesConfigurationSet: env_.SES_CONFIGURATION_SET,
    deliveryQueueUrl: env_.DELIVERY_QUEUE_URL,
    subscribeRequestsPerHour: env_.SUBSCRIBE_REQUESTS_PER_HOUR,
    sendConcurrency: env_.SEND_CONCURRENCY,
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
